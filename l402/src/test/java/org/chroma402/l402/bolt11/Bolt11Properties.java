package org.chroma402.l402.bolt11;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.chroma402.l402.PaymentHash;

/** Random invoices round-trip; mutated invoices fail only with {@link InvoiceFormatException}. */
class Bolt11Properties {
    private static final NodeKey KEY = NodeKey.fromHex("11".repeat(32));

    @Provide
    Arbitrary<String> descriptions() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars("éナ杯").ofMaxLength(120);
    }

    @Property(tries = 200)
    void invoicesRoundTrip(@ForAll @Size(32) byte[] hash, @ForAll @Size(32) byte[] secret,
            @ForAll @LongRange(min = 0, max = 2_100_000_000_000_000L) long amount,
            @ForAll("descriptions") String description, @ForAll @LongRange(min = 1, max = 1L << 40) long expiry,
            @ForAll @IntRange(min = 1, max = 5000) int cltv, @ForAll @LongRange(min = 0, max = (1L << 35) - 1) long ts,
            @ForAll Network network) throws Exception {
        OptionalLong amountMsat = amount == 0 ? OptionalLong.empty() : OptionalLong.of(amount);
        UnsignedInvoice unsigned = new UnsignedInvoice(network, amountMsat, Instant.ofEpochSecond(ts),
                new PaymentHash(hash), secret, description, null, expiry, cltv, null);
        Bolt11Invoice decoded = Bolt11Decoder.decode(Bolt11Encoder.encode(unsigned, KEY));
        assertThat(decoded.network()).isEqualTo(network);
        assertThat(decoded.amountMsat()).isEqualTo(amountMsat);
        assertThat(decoded.timestamp().getEpochSecond()).isEqualTo(ts);
        assertThat(decoded.paymentHash().bytes()).isEqualTo(hash);
        assertThat(decoded.paymentSecret()).isEqualTo(secret);
        assertThat(decoded.description()).hasValue(description);
        assertThat(decoded.expirySeconds()).isEqualTo(expiry);
        assertThat(decoded.minFinalCltvExpiry()).isEqualTo(cltv);
        assertThat(decoded.payeePubkey().get()).isEqualTo(KEY.publicKey());
    }

    @Property(tries = 500)
    void mutatedInvoicesNeverCrash(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        String invoice = Bolt11VectorsTestData.FIRST_SPEC_INVOICE;
        java.util.Random random = new java.util.Random(seed);
        StringBuilder mutated = new StringBuilder(invoice);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(mutated.length());
            switch (random.nextInt(3)) {
                case 0 -> mutated.setCharAt(at, Bech32.CHARSET.charAt(random.nextInt(32)));
                case 1 -> mutated.deleteCharAt(at);
                default -> mutated.insert(at, Bech32.CHARSET.charAt(random.nextInt(32)));
            }
        }
        try {
            Bolt11Decoder.decodeUnverified(mutated.toString());
        } catch (InvoiceFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void arbitraryTextNeverCrashes(@ForAll @Size(max = 400) String text) {
        try {
            Bolt11Decoder.decodeUnverified(text);
        } catch (InvoiceFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void validChecksumsWithRandomWordsNeverCrash(@ForAll @Size(min = 0, max = 400) byte[] raw,
            @ForAll @IntRange(min = 0, max = 4) int prefix) {
        byte[] words = new byte[raw.length];
        for (int i = 0; i < raw.length; i++) {
            words[i] = (byte) (raw[i] & 31);
        }
        String[] hrps = {"lnbc", "lnbcrt2500u", "lntb10p", "lntbs", "lnsb1m"};
        String text = Bech32.encode(hrps[prefix], words, Bech32.Variant.BECH32);
        try {
            Bolt11Decoder.decodeUnverified(text);
        } catch (InvoiceFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
