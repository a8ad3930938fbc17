package org.chroma402.lightning;

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
}
