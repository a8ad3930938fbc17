package org.chroma402.l402.payment;

import org.chroma402.l402.L402FormatException;

/** A Payment-scheme header, credential or request that does not parse; the message says why. */
public final class PaymentFormatException extends L402FormatException {
    public PaymentFormatException(String message) {
        super(message);
    }

    public PaymentFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
