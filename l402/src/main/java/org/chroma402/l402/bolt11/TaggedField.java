package org.chroma402.l402.bolt11;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tagged field as it sits in the invoice: a 5-bit type and its 5-bit data words. Keeping the
 * raw words lets an invoice round-trip exactly, unknown fields included.
 */
public record TaggedField(int type, byte[] words) {
    public static final int PAYMENT_HASH = 1;
    public static final int ROUTE_HINT = 3;
    public static final int FEATURES = 5;
    public static final int EXPIRY = 6;
    public static final int FALLBACK = 9;
    public static final int DESCRIPTION = 13;
    public static final int PAYMENT_SECRET = 16;
    public static final int PAYEE = 19;
    public static final int DESCRIPTION_HASH = 23;
    public static final int MIN_FINAL_CLTV_EXPIRY = 24;
    public static final int METADATA = 27;

    public TaggedField {
        if (type < 0 || type > 31) {
            throw new IllegalArgumentException("tagged field type must be 5 bits");
        }
        words = Objects.requireNonNull(words, "words").clone();
        if (words.length > 1023) {
            throw new IllegalArgumentException("tagged field data is limited to 1023 words");
        }
    }

    /** A field holding bytes, zero-padded to whole 5-bit words. */
    public static TaggedField ofBytes(int type, byte[] bytes) {
        return new TaggedField(type, Bech32.convertBits(bytes, 8, 5, true));
    }

    /** A field holding an unsigned integer in the fewest words (BOLT11's minimal encoding). */
    public static TaggedField ofInt(int type, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative integer field");
        }
        int count = 0;
        for (long v = value; v > 0; v >>>= 5) {
            count++;
        }
        byte[] words = new byte[count];
        long v = value;
        for (int i = count - 1; i >= 0; i--) {
            words[i] = (byte) (v & 31);
            v >>>= 5;
        }
        return new TaggedField(type, words);
    }

    @Override
    public byte[] words() {
        return words.clone();
    }

    int length() {
        return words.length;
    }

    /** The data as bytes, dropping the trailing padding bits. */
    byte[] bytes() {
        return Bech32.convertBits(words, 5, 8, false);
    }

    /** The data as an unsigned big-endian integer. */
    long intValue() throws InvoiceFormatException {
        if (words.length > 12) {
            throw new InvoiceFormatException("integer field of type " + type + " is too long");
        }
        long value = 0;
        for (byte w : words) {
            value = (value << 5) | w;
        }
        return value;
    }

    boolean hasLeadingZero() {
        return words.length > 0 && words[0] == 0;
    }

    /** The field's letter in the spec, such as {@code p} for the payment hash. */
    public char letter() {
        return Bech32.CHARSET.charAt(type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaggedField other && type == other.type && Arrays.equals(words, other.words);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(words);
    }
}
