package org.chroma402.l402.macaroon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.chroma402.l402.RootKey;
import org.junit.jupiter.api.Test;

class MacaroonCodecTest {
    private static final RootKey KEY = RootKey.fromHex("05".repeat(32));

    @Test
    void attenuationKeepsTheSignatureValid() {
        Macaroon minted = MacaroonMinter.mint(KEY, "lsat", new byte[] {1, 2, 3}, List.of("services=colorize:0"));
        Macaroon narrowed = minted.withFirstPartyCaveat("colorize_valid_until=1");
        assertThat(narrowed.firstPartyCaveats()).containsExactly("services=colorize:0", "colorize_valid_until=1");
        assertThat(MacaroonVerifier.verifySignature(narrowed, KEY)).isTrue();
        assertThat(MacaroonMinter.mint(KEY, "lsat", new byte[] {1, 2, 3},
                List.of("services=colorize:0", "colorize_valid_until=1"))).isEqualTo(narrowed);
    }

    @Test
    void droppingOrEditingACaveatBreaksTheSignature() {
        Macaroon minted = MacaroonMinter.mint(KEY, "", new byte[] {9}, List.of("a=1", "b=2"));
        Macaroon dropped = new Macaroon(minted.location(), minted.identifier(),
                minted.caveats().subList(0, 1), minted.signature());
        Macaroon edited = new Macaroon(minted.location(), minted.identifier(),
                List.of(MacaroonCaveat.firstParty("a=1"), MacaroonCaveat.firstParty("b=3")), minted.signature());
        assertThat(MacaroonVerifier.verifySignature(dropped, KEY)).isFalse();
        assertThat(MacaroonVerifier.verifySignature(edited, KEY)).isFalse();
    }

    @Test
    void thirdPartyCaveatsRoundTripButNeverVerify() throws Exception {
        Macaroon minted = MacaroonMinter.mint(KEY, "", new byte[] {9}, List.of());
        Macaroon withThirdParty = new Macaroon("", minted.identifier(),
                List.of(new MacaroonCaveat("https://auth", new byte[] {1}, new byte[] {2, 3})), minted.signature());
        Macaroon decoded = MacaroonCodec.decode(withThirdParty.encode());
        assertThat(decoded).isEqualTo(withThirdParty);
        assertThat(decoded.caveats().get(0).isFirstParty()).isFalse();
        assertThat(MacaroonVerifier.verifySignature(decoded, KEY)).isFalse();
    }

    @Test
    void malformedInputsGetTypedErrors() {
        String valid = HexFormat.of().formatHex(MacaroonMinter.mint(KEY, "loc", new byte[] {1}, List.of("x=y")).encode());
        String[][] cases = {
            {"", "empty"},
            {"01", "only the v2 binary format"},
            {"02", "truncated"},
            {"0202", "truncated"},
            {"02020501", "truncated"},
            {"0202010100", "truncated"},
            {"02010161020101000006", "truncated"},
            {"020201010000000620" + "00".repeat(32), "unexpected end marker"},
            {valid + "00", "unexpected bytes after the signature"},
            {"020201010000061f" + "00".repeat(31), "signature must be 32 bytes"},
            {"020201010101610000", "out of order"},
            {"02070100", "unknown field type"},
            {"02ffffffffff7f", "varint too long"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> MacaroonCodec.decode(HexFormat.of().parseHex(c[0])))
                    .as(c[0]).isInstanceOf(MacaroonFormatException.class).hasMessageContaining(c[1]);
        }
        assertThatThrownBy(() -> MacaroonCodec.decodeBase64("not base64!")).isInstanceOf(MacaroonFormatException.class)
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> MacaroonCodec.decodeBase64("  ")).isInstanceOf(MacaroonFormatException.class);
    }

    @Test
    void toStringNeverShowsTheSignature() {
        Macaroon minted = MacaroonMinter.mint(KEY, "lsat", new byte[] {1}, List.of("x=y"));
        assertThat(minted.toString()).doesNotContain(HexFormat.of().formatHex(minted.signature()));
    }
}
