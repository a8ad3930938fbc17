package org.chroma402.lightning.nwc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class NwcUriTest {
    private static final String WALLET = "b889ff5b1513b641e2a139f661a661364979c5beee91842f8f0ef42ab558e9d4";
    private static final String SECRET = "71a8c14c1407c113601079c4302dab36460f0ccd0ad506f1f2dc73b5100e4f3c";

    /** The example connection string from NIP-47. */
    @Test
    void parsesTheNip47Example() {
        NwcUri uri = NwcUri.parse("nostr+walletconnect://" + WALLET
                + "?relay=wss%3A%2F%2Frelay.damus.io&secret=" + SECRET);
        assertThat(uri.walletPublicKey()).isEqualTo(WALLET);
        assertThat(uri.relays()).containsExactly(URI.create("wss://relay.damus.io"));
        assertThat(uri.clientKeys().publicKeyHex()).hasSize(64);
        assertThat(uri.toString()).doesNotContain(SECRET);
    }

    @Test
    void acceptsSeveralRelaysAndUnencodedValues() {
        NwcUri uri = NwcUri.parse("nostr+walletconnect:" + WALLET.toUpperCase()
                + "?relay=wss://relay.getalby.com/v1&relay=wss%3A%2F%2Fnos.lol&secret=" + SECRET + "&lud16=me%40getalby.com&name=x");
        assertThat(uri.walletPublicKey()).isEqualTo(WALLET);
        assertThat(uri.relays()).containsExactly(URI.create("wss://relay.getalby.com/v1"), URI.create("wss://nos.lol"));
        assertThat(uri.lud16()).isEqualTo("me@getalby.com");
    }

    @Test
    void badConnectionStringsSayWhatIsWrong() {
        assertThatThrownBy(() -> NwcUri.parse("")).hasMessageContaining("not configured");
        assertThatThrownBy(() -> NwcUri.parse("https://example.com")).hasMessageContaining("nostr+walletconnect://");
        assertThatThrownBy(() -> NwcUri.parse("nostr+walletconnect://abc?relay=wss://r&secret=" + SECRET))
                .hasMessageContaining("64 hex");
        assertThatThrownBy(() -> NwcUri.parse("nostr+walletconnect://" + WALLET + "?secret=" + SECRET))
                .hasMessageContaining("no relay");
        assertThatThrownBy(() -> NwcUri.parse("nostr+walletconnect://" + WALLET + "?relay=https://r&secret=" + SECRET))
                .hasMessageContaining("ws://");
        assertThatThrownBy(() -> NwcUri.parse("nostr+walletconnect://" + WALLET + "?relay=wss://r&secret=12"))
                .hasMessageContaining("secret");
        assertThatThrownBy(() -> NwcUri.parse("nostr+walletconnect://" + WALLET + "?relay=wss://r&secret=" + "00".repeat(32)))
                .isInstanceOf(NostrException.class);
    }
}
