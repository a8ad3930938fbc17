package org.chroma402.l402;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void preimageHashesToItsPaymentHash() {
        // SHA-256 of 32 zero bytes.
        Preimage zero = new Preimage(new byte[32]);
        assertThat(zero.hash().hex()).isEqualTo("66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
        assertThat(zero.matches(zero.hash())).isTrue();
        assertThat(zero.matches(PaymentHash.fromHex("00".repeat(32)))).isFalse();
    }

    @Test
    void secretsAreRedactedInToString() {
        Preimage preimage = Preimage.random(new SecureRandom());
        RootKey rootKey = RootKey.random(new SecureRandom());
        assertThat(preimage.toString()).doesNotContain(preimage.hex()).contains("redacted");
        assertThat(rootKey.toString()).doesNotContain(rootKey.hex()).contains("redacted");
    }

    @Test
    void valuesAreCopiedInAndOut() {
        byte[] bytes = new byte[32];
        PaymentHash hash = new PaymentHash(bytes);
        bytes[0] = 1;
        assertThat(hash.bytes()[0]).isZero();
        hash.bytes()[1] = 7;
        assertThat(hash.bytes()[1]).isZero();
    }

    @Test
    void equalityIsByContent() {
        assertThat(TokenId.fromHex("ab".repeat(32))).isEqualTo(TokenId.fromHex("AB".repeat(32)));
        assertThat(TokenId.fromHex("ab".repeat(32)).hashCode()).isEqualTo(TokenId.fromHex("ab".repeat(32)).hashCode());
    }

    @Test
    void wrongLengthsAndBadHexAreRefused() {
        assertThatThrownBy(() -> new PaymentHash(new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> Preimage.fromHex("zz".repeat(32))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HexFormat.of().parseHex("abc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identifierRoundTripsAndRejectsMalformedBytes() throws Exception {
        SecureRandom random = new SecureRandom();
        MacaroonIdentifier id = MacaroonIdentifier.of(Preimage.random(random).hash(), TokenId.random(random));
        byte[] encoded = id.encode();
        assertThat(encoded).hasSize(66);
        assertThat(encoded[0]).isZero();
        assertThat(encoded[1]).isZero();
        assertThat(MacaroonIdentifier.decode(encoded)).isEqualTo(id);

        assertThatThrownBy(() -> MacaroonIdentifier.decode(new byte[65])).isInstanceOf(L402FormatException.class)
                .hasMessageContaining("66 bytes");
        byte[] version1 = encoded.clone();
        version1[1] = 1;
        assertThatThrownBy(() -> MacaroonIdentifier.decode(version1)).isInstanceOf(L402FormatException.class)
                .hasMessageContaining("unknown identifier version 1");
        assertThatThrownBy(() -> MacaroonIdentifier.decode(new byte[1])).isInstanceOf(L402FormatException.class);
    }
}
