package org.chroma402.l402.bolt11;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/** Encodes and signs BOLT11 invoices. */
public final class Bolt11Encoder {

    private Bolt11Encoder() {
    }

    /** Signs a new invoice with the node's key. */
    public static String encode(UnsignedInvoice invoice, NodeKey key) {
        return encode(invoice.network(), invoice.amountMsat(), invoice.timestamp(), invoice.taggedFields(), key);
    }

    /** Signs an invoice made of exactly these tagged fields, in this order. */
    public static String encode(Network network, OptionalLong amountMsat, Instant timestamp, List<TaggedField> fields,
            NodeKey key) {
        String hrp = network.invoicePrefix() + (amountMsat.isPresent() ? formatAmount(amountMsat.getAsLong()) : "");
        ByteArrayOutputStream words = new ByteArrayOutputStream();
        long ts = timestamp.getEpochSecond();
        if (ts < 0 || ts >= (1L << 35)) {
            throw new IllegalArgumentException("timestamp does not fit 35 bits");
        }
        for (int i = 6; i >= 0; i--) {
            words.write((int) ((ts >>> (5 * i)) & 31));
        }
        for (TaggedField field : fields) {
            words.write(field.type());
            words.write(field.length() >>> 5);
            words.write(field.length() & 31);
            byte[] data = field.words();
            words.write(data, 0, data.length);
        }
        byte[] data = words.toByteArray();
        byte[] signature = key.signRecoverable(Bolt11Decoder.signingHash(hrp, data));
        byte[] signatureWords = Bech32.convertBits(signature, 8, 5, true);
        byte[] all = new byte[data.length + signatureWords.length];
        System.arraycopy(data, 0, all, 0, data.length);
        System.arraycopy(signatureWords, 0, all, data.length, signatureWords.length);
        return Bech32.encode(hrp, all, Bech32.Variant.BECH32);
    }

    /** The shortest amount text: the largest multiplier that keeps the number whole. */
    static String formatAmount(long msat) {
        if (msat <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        if (msat % 100_000_000_000L == 0) {
            return Long.toString(msat / 100_000_000_000L);
        }
        if (msat % 100_000_000L == 0) {
            return msat / 100_000_000L + "m";
        }
        if (msat % 100_000L == 0) {
            return msat / 100_000L + "u";
        }
        if (msat % 100L == 0) {
            return msat / 100L + "n";
        }
        return Math.multiplyExact(msat, 10L) + "p";
    }
}
