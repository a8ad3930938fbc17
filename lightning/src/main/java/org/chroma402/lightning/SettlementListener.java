package org.chroma402.lightning;

import org.chroma402.l402.PaymentHash;

/** Told when an invoice is paid. */
@FunctionalInterface
public interface SettlementListener {
    void onSettled(PaymentHash paymentHash, InvoiceState.Paid paid);
}
