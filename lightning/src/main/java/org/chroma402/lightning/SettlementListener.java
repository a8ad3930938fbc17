package org.chroma402.lightning;

import org.chroma402.l402.PaymentHash;

/** Told when an invoice is paid. */
@FunctionalInterface
public interface SettlementListener {
    void onSettled(PaymentHash paymentHash, InvoiceState.Paid paid);

    /**
     * The push connection was (re)opened. A push that has no replay (a websocket) may have missed
     * settlements while it was down: a listener that waits for invoices should look them up now
     * rather than at its next slow poll. Does nothing by default.
     */
    default void onReconnected() {
    }
}
