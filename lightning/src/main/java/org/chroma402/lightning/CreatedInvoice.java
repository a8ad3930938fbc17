package org.chroma402.lightning;

import java.time.Instant;
import java.util.Objects;
import org.chroma402.l402.PaymentHash;

/** A new invoice as the backend made it. */
public record CreatedInvoice(String bolt11, PaymentHash paymentHash, Instant expiresAt) {
    public CreatedInvoice {
        Objects.requireNonNull(bolt11, "bolt11");
        Objects.requireNonNull(paymentHash, "paymentHash");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
