package org.chroma402.l402;

import java.security.SecureRandom;
import java.util.HexFormat;

/** The secret a macaroon's HMAC chain starts from. Its {@code toString} never shows the bytes. */
public record RootKey(byte[] bytes) {

    public RootKey {
        bytes = Bytes32.checkedCopy(bytes, "root key");
    }

    public static RootKey fromHex(String hex) {
        return new RootKey(Bytes32.fromHex(hex, "root key"));
    }

    public static RootKey random(SecureRandom random) {
        byte[] bytes = new byte[Bytes32.LENGTH];
        random.nextBytes(bytes);
        return new RootKey(bytes);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RootKey other && Bytes32.equal(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Bytes32.hash(bytes);
    }

    @Override
    public String toString() {
        return "RootKey[redacted]";
    }
}
