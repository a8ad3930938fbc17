package org.chroma402.lightning;

import java.util.Objects;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.Preimage;

/** A completed payment: the preimage that proves it, and the routing fee paid. */
public record PaymentResult(Preimage preimage, long feeMsat) {
    public PaymentResult {
        Objects.requireNonNull(preimage, "preimage");
    }

    /** A result whose preimage has been checked against the invoice's payment hash. */
    public static PaymentResult verified(PaymentHash paymentHash, Preimage preimage, long feeMsat) {
        if (preimage == null || !preimage.matches(paymentHash)) {
            throw new LightningException("wallet returned a preimage that does not match payment hash "
                    + paymentHash.hex());
        }
        return new PaymentResult(preimage, feeMsat);
    }
}
