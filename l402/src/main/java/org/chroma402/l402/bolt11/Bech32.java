package org.chroma402.l402.bolt11;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Bech32 (BIP-173) and Bech32m (BIP-350), without BIP-173's 90-character limit, which BOLT11
 * lifts. Works on 5-bit words; {@link #convertBits} regroups them into bytes.
 */
public final class Bech32 {
    static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] CHARSET_REV = new int[128];
    private static final int BECH32_CONST = 1;
    private static final int BECH32M_CONST = 0x2bc830a3;

    static {
        java.util.Arrays.fill(CHARSET_REV, -1);
        for (int i = 0; i < CHARSET.length(); i++) {
            CHARSET_REV[CHARSET.charAt(i)] = i;
        }
    }

    /** Which checksum constant a string uses. */
    public enum Variant { BECH32, BECH32M }

    /** A decoded string: human-readable part (lower case) and data words without the checksum. */
    public record Decoded(String hrp, byte[] words, Variant variant) {
    }

    private Bech32() {
    }

    public static Decoded decode(String text) throws InvoiceFormatException {
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 33 || c > 126) {
                throw new InvoiceFormatException("bech32 string has a character outside printable ASCII");
            }
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
        }
        if (lower && upper) {
            throw new InvoiceFormatException("bech32 string has mixed upper and lower case");
        }
        String s = text.toLowerCase(Locale.ROOT);
        int separator = s.lastIndexOf('1');
        if (separator < 0) {
            throw new InvoiceFormatException("bech32 string has no separator '1'");
        }
        if (separator == 0) {
            throw new InvoiceFormatException("bech32 string has an empty human-readable part");
        }
        if (s.length() - separator - 1 < 6) {
            throw new InvoiceFormatException("bech32 string is too short for its checksum");
        }
        String hrp = s.substring(0, separator);
        byte[] values = new byte[s.length() - separator - 1];
        for (int i = 0; i < values.length; i++) {
            char c = s.charAt(separator + 1 + i);
            int v = c < 128 ? CHARSET_REV[c] : -1;
            if (v < 0) {
                throw new InvoiceFormatException("bech32 string has an invalid character '" + c + "'");
            }
            values[i] = (byte) v;
        }
        int check = polymod(expandHrp(hrp), values);
        Variant variant;
        if (check == BECH32_CONST) {
            variant = Variant.BECH32;
        } else if (check == BECH32M_CONST) {
            variant = Variant.BECH32M;
        } else {
            throw new InvoiceFormatException("bech32 checksum is invalid");
        }
        byte[] words = new byte[values.length - 6];
        System.arraycopy(values, 0, words, 0, words.length);
        return new Decoded(hrp, words, variant);
    }

    public static String encode(String hrp, byte[] words, Variant variant) {
        String lowerHrp = hrp.toLowerCase(Locale.ROOT);
        byte[] values = new byte[words.length + 6];
        System.arraycopy(words, 0, values, 0, words.length);
        int constant = variant == Variant.BECH32 ? BECH32_CONST : BECH32M_CONST;
        int mod = polymod(expandHrp(lowerHrp), values) ^ constant;
        StringBuilder out = new StringBuilder(lowerHrp.length() + 1 + values.length);
        out.append(lowerHrp).append('1');
        for (byte w : words) {
            out.append(CHARSET.charAt(w));
        }
        for (int i = 0; i < 6; i++) {
            out.append(CHARSET.charAt((mod >>> (5 * (5 - i))) & 31));
        }
        return out.toString();
    }

    /**
     * Regroups {@code from}-bit values into {@code to}-bit values. With {@code pad}, leftover
     * bits are zero-padded; without it, leftover bits are dropped (BOLT11 readers do this for
     * fixed-size fields, whose last 5-bit word carries padding).
     */
    public static byte[] convertBits(byte[] data, int from, int to, boolean pad) {
        int acc = 0;
        int bits = 0;
        int maxv = (1 << to) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * from / to + 1);
        for (byte b : data) {
            int value = b & 0xff;
            acc = (acc << from) | value;
            bits += from;
            while (bits >= to) {
                bits -= to;
                out.write((acc >>> bits) & maxv);
            }
            acc &= (1 << bits) - 1;
        }
        if (pad && bits > 0) {
            out.write((acc << (to - bits)) & maxv);
        }
        return out.toByteArray();
    }

    private static byte[] expandHrp(String hrp) {
        byte[] out = new byte[hrp.length() * 2 + 1];
        for (int i = 0; i < hrp.length(); i++) {
            out[i] = (byte) (hrp.charAt(i) >> 5);
            out[i + hrp.length() + 1] = (byte) (hrp.charAt(i) & 31);
        }
        return out;
    }

    private static int polymod(byte[] hrp, byte[] values) {
        int chk = 1;
        chk = polymodStep(chk, hrp);
        return polymodStep(chk, values);
    }

    private static int polymodStep(int chk, byte[] values) {
        int[] gen = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
        for (byte v : values) {
            int top = chk >>> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ (v & 0xff);
            for (int i = 0; i < 5; i++) {
                if (((top >>> i) & 1) != 0) {
                    chk ^= gen[i];
                }
            }
        }
        return chk;
    }
}
