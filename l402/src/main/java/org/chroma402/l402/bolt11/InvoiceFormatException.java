package org.chroma402.l402.bolt11;

import org.chroma402.l402.L402FormatException;

/** A string that is not a valid BOLT11 invoice; the message names the rule it breaks. */
public final class InvoiceFormatException extends L402FormatException {
    public InvoiceFormatException(String message) {
        super(message);
    }
}
