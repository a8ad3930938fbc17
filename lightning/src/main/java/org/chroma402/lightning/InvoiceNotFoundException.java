package org.chroma402.lightning;

import org.chroma402.l402.PaymentHash;

/** The backend has no invoice with this payment hash. */
public class InvoiceNotFoundException extends LightningException {
    public InvoiceNotFoundException(PaymentHash paymentHash) {
        super("no invoice with payment hash " + paymentHash.hex());
    }
}
