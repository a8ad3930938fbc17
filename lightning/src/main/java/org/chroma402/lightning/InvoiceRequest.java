package org.chroma402.lightning;

import java.time.Duration;
import java.util.Objects;

/**
 * What to invoice: an amount, a memo or a description hash (exactly one), and how long the
 * invoice may be paid.
 */
public record InvoiceRequest(long amountMsat, String memo, byte[] descriptionHash, Duration expiry) {

    public InvoiceRequest {
        if (amountMsat <= 0) {
            throw new IllegalArgumentException("amount must be positive, got " + amountMsat + " msat");
        }
        if ((memo == null) == (descriptionHash == null)) {
            throw new IllegalArgumentException("give exactly one of memo and descriptionHash");
        }
        if (descriptionHash != null && descriptionHash.length != 32) {
            throw new IllegalArgumentException("description hash must be 32 bytes");
        }
        descriptionHash = descriptionHash == null ? null : descriptionHash.clone();
        Objects.requireNonNull(expiry, "expiry");
        if (expiry.isNegative() || expiry.isZero() || expiry.toSeconds() < 1) {
            throw new IllegalArgumentException("expiry must be at least one second");
        }
    }

    public static InvoiceRequest withMemo(long amountMsat, String memo, Duration expiry) {
        return new InvoiceRequest(amountMsat, memo, null, expiry);
    }

    @Override
    public byte[] descriptionHash() {
        return descriptionHash == null ? null : descriptionHash.clone();
    }

    /** Whole satoshis, for backends that take no millisatoshis; rounds up so nobody underpays. */
    public long amountSatRoundedUp() {
        return (amountMsat + 999) / 1000;
    }
}
