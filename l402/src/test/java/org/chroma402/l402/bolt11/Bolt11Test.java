package org.chroma402.l402.bolt11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.OptionalLong;
import org.chroma402.l402.Preimage;
import org.junit.jupiter.api.Test;

class Bolt11Test {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void aSignedRegtestInvoiceDecodesToWhatWasAsked() throws Exception {
        NodeKey key = NodeKey.generate(RANDOM);
        Preimage preimage = Preimage.random(RANDOM);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        UnsignedInvoice unsigned = new UnsignedInvoice(Network.REGTEST, OptionalLong.of(5_000), Instant.ofEpochSecond(1_700_000_000),
                preimage.hash(), secret, "Chroma402: colorize one photo (large)", null, 600, 80, null);
        String bolt11 = Bolt11Encoder.encode(unsigned, key);
        assertThat(bolt11).startsWith("lnbcrt50n1");

        Bolt11Invoice decoded = Bolt11Decoder.decode(bolt11);
        assertThat(decoded.network()).isEqualTo(Network.REGTEST);
        assertThat(decoded.amountMsat()).hasValue(5_000);
        assertThat(decoded.paymentHash()).isEqualTo(preimage.hash());
        assertThat(decoded.paymentSecret()).isEqualTo(secret);
        assertThat(decoded.description()).hasValue("Chroma402: colorize one photo (large)");
        assertThat(decoded.expirySeconds()).isEqualTo(600);
        assertThat(decoded.expiresAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_600));
        assertThat(decoded.minFinalCltvExpiry()).isEqualTo(80);
        assertThat(decoded.payeePubkey()).hasValueSatisfying(p -> assertThat(p).isEqualTo(key.publicKey()));
        assertThat(decoded.features().supports(FeatureBits.PAYMENT_SECRET)).isTrue();
        assertThat(decoded.isExpired(Instant.ofEpochSecond(1_700_000_599))).isFalse();
        assertThat(decoded.isExpired(Instant.ofEpochSecond(1_700_000_600))).isTrue();
    }

    @Test
    void amountsUseTheShortestMultiplier() {
        assertThat(Bolt11Encoder.formatAmount(100_000_000_000L)).isEqualTo("1");
        assertThat(Bolt11Encoder.formatAmount(2_500_000_000L)).isEqualTo("25m");
        assertThat(Bolt11Encoder.formatAmount(250_000_000L)).isEqualTo("2500u");
        assertThat(Bolt11Encoder.formatAmount(5_000L)).isEqualTo("50n");
        assertThat(Bolt11Encoder.formatAmount(1L)).isEqualTo("10p");
        assertThat(Bolt11Encoder.formatAmount(967_878_534L)).isEqualTo("9678785340p");
    }

    @Test
    void amountParsingAppliesTheReaderRules() throws Exception {
        assertThat(Bolt11Decoder.parseAmount("")).isEmpty();
        assertThat(Bolt11Decoder.parseAmount("10p")).hasValue(1);
        assertThat(Bolt11Decoder.parseAmount("1")).hasValue(100_000_000_000L);
        assertThatThrownBy(() -> Bolt11Decoder.parseAmount("11p")).hasMessageContaining("sub-millisatoshi");
        assertThatThrownBy(() -> Bolt11Decoder.parseAmount("1x")).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> Bolt11Decoder.parseAmount("0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> Bolt11Decoder.parseAmount("01m")).hasMessageContaining("leading zero");
        assertThatThrownBy(() -> Bolt11Decoder.parseAmount("99999999999999999")).hasMessageContaining("out of range");
    }

    @Test
    void everyNetworkPrefixRoundTrips() throws Exception {
        NodeKey key = NodeKey.generate(RANDOM);
        for (Network network : Network.values()) {
            UnsignedInvoice unsigned = new UnsignedInvoice(network, OptionalLong.empty(), Instant.now(),
                    Preimage.random(RANDOM).hash(), new byte[32], "any amount", null, 3600, 18, null);
            String bolt11 = Bolt11Encoder.encode(unsigned, key);
            assertThat(bolt11).startsWith(network.invoicePrefix() + "1");
            assertThat(Bolt11Decoder.decode(bolt11).network()).isEqualTo(network);
        }
    }

    @Test
    void aTamperedInvoiceFailsItsChecksumOrSignature() throws Exception {
        NodeKey key = NodeKey.generate(RANDOM);
        UnsignedInvoice unsigned = new UnsignedInvoice(Network.REGTEST, OptionalLong.of(5000), Instant.now(),
                Preimage.random(RANDOM).hash(), new byte[32], "x", null, 600, 18, null);
        Bolt11Invoice original = Bolt11Decoder.decode(Bolt11Encoder.encode(unsigned, key));
        // Re-sign the same fields with another key: a valid invoice, but from someone else.
        NodeKey other = NodeKey.generate(RANDOM);
        Bolt11Invoice forged = Bolt11Decoder.decode(Bolt11Encoder.encode(original.network(), original.amountMsat(),
                original.timestamp(), original.taggedFields(), other));
        assertThat(forged.payeePubkey().get()).isEqualTo(other.publicKey()).isNotEqualTo(key.publicKey());
    }

    @Test
    void theLightningUriPrefixIsAccepted() throws Exception {
        String invoice = Bolt11VectorsTestData.FIRST_SPEC_INVOICE;
        assertThat(Bolt11Decoder.decode("lightning:" + invoice).encoded()).isEqualTo(invoice);
        assertThat(Bolt11Decoder.decode("LIGHTNING:" + invoice.toUpperCase()).encoded()).isEqualTo(invoice);
    }

    @Test
    void decodeUnverifiedReportsABadSignatureInsteadOfThrowing() throws Exception {
        String invalid = org.chroma402.l402.Vectors.load("bolt11-invalid.json").get("invalid").get(9).get("invoice").asText();
        Bolt11Invoice decoded = Bolt11Decoder.decodeUnverified(invalid);
        assertThat(decoded.signatureValid()).isFalse();
        assertThat(decoded.payeeExplicit()).isTrue();
    }
}
