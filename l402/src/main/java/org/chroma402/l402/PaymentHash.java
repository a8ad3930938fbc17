package org.chroma402.l402;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 of a payment preimage: what an invoice commits to and an L402 token is bound to. */
public record PaymentHash(byte[] bytes) {

    public PaymentHash {
        bytes = Bytes32.checkedCopy(bytes, "payment hash");
    }

    /** Parses 64 hex characters; throws {@link IllegalArgumentException} otherwise. */
    public static PaymentHash fromHex(String hex) {
        return new PaymentHash(Bytes32.fromHex(hex, "payment hash"));
    }

    /** Parses 64 hex characters; empty for anything else. */
    public static java.util.Optional<PaymentHash> tryFromHex(String hex) {
        return Bytes32.isHex(hex) ? java.util.Optional.of(fromHex(hex)) : java.util.Optional.empty();
    }

    /** The SHA-256 of {@code data}. */
    static PaymentHash sha256Of(byte[] data) {
        try {
            return new PaymentHash(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
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
        return o instanceof PaymentHash other && Bytes32.equal(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Bytes32.hash(bytes);
    }

    @Override
    public String toString() {
        return "PaymentHash[" + hex() + "]";
    }
}
