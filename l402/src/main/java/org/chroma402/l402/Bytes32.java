package org.chroma402.l402;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Checks and copies shared by the 32-byte value types, and the one test of "is this text a
 * 32-byte value in hex" that parsers of node and wallet replies use.
 */
public final class Bytes32 {
    static final int LENGTH = 32;

    private Bytes32() {
    }

    static byte[] checkedCopy(byte[] bytes, String what) {
        if (bytes == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException(what + " must be 32 bytes, got " + bytes.length);
        }
        return bytes.clone();
    }

    static byte[] fromHex(String hex, String what) {
        if (!isHex(hex)) {
            throw new IllegalArgumentException(what + " must be 64 hex characters");
        }
        return HexFormat.of().parseHex(hex);
    }

    /** Whether the text is exactly 64 ASCII hex characters, either case. */
    public static boolean isHex(CharSequence text) {
        if (text == null || text.length() != 2 * LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!HexFormat.isHexDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Constant time, so that comparing secrets leaks nothing through timing. */
    static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    static int hash(byte[] bytes) {
        return Arrays.hashCode(bytes);
    }
}
