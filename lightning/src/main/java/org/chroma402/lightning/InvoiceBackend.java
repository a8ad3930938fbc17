package org.chroma402.lightning;

import org.chroma402.l402.PaymentHash;

/**
 * Receives payments: creates invoices and reports their state. Implemented for the embedded
 * development node and for real nodes and wallets; chosen by configuration.
 *
 * <p>Every method may throw {@link LightningException} (or its {@link LightningTimeoutException})
 * when the backend is down, slow or answers nonsense; none returns null. Backends that can push
 * settlements also implement {@link SettlementStream}.
 */
public interface InvoiceBackend {

    /** A short name for logs and health output, such as {@code dev} or {@code lnd}. */
    String name();

    /** Creates an invoice for exactly the requested amount and expiry. */
    CreatedInvoice createInvoice(InvoiceRequest request);

    /**
     * The invoice's current state; {@link InvoiceState.Paid} only with a preimage that matches.
     *
     * @throws InvoiceNotFoundException if the backend does not know the payment hash
     */
    InvoiceState lookupInvoice(PaymentHash paymentHash);

    /** Returns if the backend can take invoices now; throws {@link LightningException} otherwise. */
    void checkHealth();
}
