package org.chroma402.l402;

import java.security.SecureRandom;
import java.util.HexFormat;

/** The 32 random bytes that make each L402 macaroon identifier unique. */
public record TokenId(byte[] bytes) {

    public TokenId {
        bytes = Bytes32.checkedCopy(bytes, "token id");
    }

    public static TokenId fromHex(String hex) {
        return new TokenId(Bytes32.fromHex(hex, "token id"));
    }

    public static TokenId random(SecureRandom random) {
        byte[] bytes = new byte[Bytes32.LENGTH];
        random.nextBytes(bytes);
        return new TokenId(bytes);
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
        return o instanceof TokenId other && Bytes32.equal(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Bytes32.hash(bytes);
    }

    @Override
    public String toString() {
        return "TokenId[" + hex() + "]";
    }
}
