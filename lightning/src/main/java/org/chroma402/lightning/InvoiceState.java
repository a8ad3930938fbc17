package org.chroma402.lightning;

import java.time.Instant;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.Preimage;

/** Where an invoice stands. A {@link Paid} state always carries a preimage that matches. */
public sealed interface InvoiceState {

    /** Not paid yet; payable until {@code expiresAt}. */
    record Open(Instant expiresAt) implements InvoiceState {
    }

    /** Settled. Only made through {@link #paid}, which checks the preimage. */
    record Paid(Preimage preimage, long amountPaidMsat, Instant settledAt) implements InvoiceState {
    }

    /** Past its expiry without payment. */
    record Expired() implements InvoiceState {
    }

    /** Cancelled by the node. */
    record Cancelled() implements InvoiceState {
    }

    /**
     * A settled state, after checking that the preimage really is the payment hash's: a backend
     * that says "paid" without a matching preimage is not believed.
     */
    static Paid paid(PaymentHash paymentHash, Preimage preimage, long amountPaidMsat, Instant settledAt) {
        if (preimage == null) {
            throw new LightningException("backend reported invoice " + paymentHash.hex() + " paid without a preimage");
        }
        if (!preimage.matches(paymentHash)) {
            throw new LightningException(
                    "backend reported a preimage that does not match payment hash " + paymentHash.hex());
        }
        return new Paid(preimage, amountPaidMsat, settledAt);
    }

    default boolean isPaid() {
        return this instanceof Paid;
    }

    /** Whether the invoice can no longer change. */
    default boolean isFinal() {
        return !(this instanceof Open);
    }
}
