package org.chroma402.lightning;

import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.bolt11.InvoiceFormatException;

/**
 * Pays invoices: what a client needs to buy a colorization. Throws {@link LightningException}
 * when the payment fails or the wallet refuses, and never returns without a preimage that
 * matches the invoice's payment hash.
 */
public interface PaymentBackend {

    /** A short name for logs, such as {@code dev} or {@code nwc}. */
    String name();

    /** Pays a BOLT11 invoice, spending at most {@code options.maxFeeMsat()} in fees. */
    PaymentResult pay(String bolt11, PayOptions options);

    /**
     * The payment hash of an invoice about to be paid, after checking its signature: what the
     * returned preimage must match. A {@link LightningException} if it is not a valid invoice.
     */
    static PaymentHash paymentHashOf(String bolt11) {
        try {
            return Bolt11Decoder.decode(bolt11).paymentHash();
        } catch (InvoiceFormatException e) {
            throw new LightningException("not a valid invoice: " + e.getMessage());
        }
    }
}
