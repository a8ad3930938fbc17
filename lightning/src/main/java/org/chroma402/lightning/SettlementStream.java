package org.chroma402.lightning;

/**
 * An optional capability of an {@link InvoiceBackend}: it tells when invoices are paid, so
 * nobody has to poll. Implementations reconnect on their own after drops and must only report
 * settlements whose preimage matches the payment hash.
 */
public interface SettlementStream {

    /**
     * Starts delivering settlements to {@code listener} until the returned handle is closed.
     * Callbacks may come from any thread and must return quickly.
     */
    AutoCloseable subscribe(SettlementListener listener);
}
