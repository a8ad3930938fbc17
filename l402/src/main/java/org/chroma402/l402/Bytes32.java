package org.chroma402.l402;

import java.security.MessageDigest;
import java.util.Arrays;

/** Checks and copies shared by the 32-byte value types. */
final class Bytes32 {
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
        if (!Hex.isHex(hex, 2 * LENGTH)) {
            throw new IllegalArgumentException(what + " must be 64 hex characters");
        }
        return Hex.decode(hex);
    }

    /** Constant time, so that comparing secrets leaks nothing through timing. */
    static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    static int hash(byte[] bytes) {
        return Arrays.hashCode(bytes);
    }
}
