package org.chroma402.l402;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The secret whose SHA-256 is a {@link PaymentHash}; learning it is the proof of payment.
 * Its {@code toString} never shows the bytes.
 */
public record Preimage(byte[] bytes) {

    public Preimage {
        bytes = Bytes32.checkedCopy(bytes, "preimage");
    }

    /** Parses 64 hex characters; throws {@link IllegalArgumentException} otherwise. */
    public static Preimage fromHex(String hex) {
        return new Preimage(Bytes32.fromHex(hex, "preimage"));
    }

    /** Parses 64 hex characters; empty for anything else (a node's reply, a user's paste). */
    public static Optional<Preimage> tryFromHex(String hex) {
        return Bytes32.isHex(hex) ? Optional.of(fromHex(hex)) : Optional.empty();
    }

    public static Preimage random(SecureRandom random) {
        byte[] bytes = new byte[Bytes32.LENGTH];
        random.nextBytes(bytes);
        return new Preimage(bytes);
    }

    /** The payment hash this preimage unlocks. */
    public PaymentHash hash() {
        return PaymentHash.sha256Of(bytes);
    }

    /** Whether this preimage is the one behind {@code paymentHash}. */
    public boolean matches(PaymentHash paymentHash) {
        return hash().equals(paymentHash);
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
        return o instanceof Preimage other && Bytes32.equal(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Bytes32.hash(bytes);
    }

    @Override
    public String toString() {
        return "Preimage[redacted]";
    }
}
