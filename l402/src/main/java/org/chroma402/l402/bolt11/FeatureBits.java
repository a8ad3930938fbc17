package org.chroma402.l402.bolt11;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The feature vector of an invoice's {@code 9} field (BOLT 9). Bit 0 is the least significant
 * bit of the last word. Even bits are required, odd bits optional ("it's OK to be odd").
 */
public final class FeatureBits {
    public static final int VAR_ONION_OPTIN = 8;
    public static final int PAYMENT_SECRET = 14;
    public static final int BASIC_MPP = 16;
    public static final int ROUTE_BLINDING = 24;
    public static final int ATTRIBUTION_DATA = 36;
    public static final int PAYMENT_METADATA = 48;

    /** Features BOLT 9 allows in invoices (context 9); each stands for its even/odd pair. */
    private static final Set<Integer> KNOWN =
            Set.of(VAR_ONION_OPTIN, PAYMENT_SECRET, BASIC_MPP, ROUTE_BLINDING, ATTRIBUTION_DATA, PAYMENT_METADATA);

    private final BitSet bits;

    private FeatureBits(BitSet bits) {
        this.bits = (BitSet) bits.clone();
    }

    public static FeatureBits of(int... setBits) {
        BitSet bits = new BitSet();
        for (int bit : setBits) {
            bits.set(bit);
        }
        return new FeatureBits(bits);
    }

    static FeatureBits fromWords(byte[] words) {
        BitSet bits = new BitSet();
        for (int i = 0; i < words.length; i++) {
            int word = words[words.length - 1 - i];
            for (int b = 0; b < 5; b++) {
                if (((word >> b) & 1) != 0) {
                    bits.set(i * 5 + b);
                }
            }
        }
        return new FeatureBits(bits);
    }

    /** The minimal word encoding, no leading zero words. */
    byte[] toWords() {
        int count = (bits.length() + 4) / 5;
        byte[] words = new byte[count];
        for (int i = 0; i < count; i++) {
            int word = 0;
            for (int b = 0; b < 5; b++) {
                if (bits.get(i * 5 + b)) {
                    word |= 1 << b;
                }
            }
            words[count - 1 - i] = (byte) word;
        }
        return words;
    }

    public boolean isEmpty() {
        return bits.isEmpty();
    }

    public boolean has(int bit) {
        return bits.get(bit);
    }

    /** Whether the feature is offered, as either its required (even) or optional (odd) bit. */
    public boolean supports(int evenBit) {
        return bits.get(evenBit) || bits.get(evenBit + 1);
    }

    /** The set bits, lowest first. */
    public List<Integer> setBits() {
        List<Integer> out = new ArrayList<>();
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            out.add(i);
        }
        return out;
    }

    /** Set even bits that this implementation does not understand: an invoice with one must be refused. */
    List<Integer> unknownRequiredBits() {
        List<Integer> out = new ArrayList<>();
        for (int bit : setBits()) {
            if (bit % 2 == 0 && !KNOWN.contains(bit)) {
                out.add(bit);
            }
        }
        return out;
    }

    /** Big-endian bytes, as feature vectors are usually printed. */
    public String toHex() {
        byte[] littleEndian = bits.toByteArray();
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        return HexFormat.of().formatHex(bigEndian);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureBits other && bits.equals(other.bits);
    }

    @Override
    public int hashCode() {
        return bits.hashCode();
    }

    @Override
    public String toString() {
        return "FeatureBits" + setBits();
    }
}
