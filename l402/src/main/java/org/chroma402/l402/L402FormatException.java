package org.chroma402.l402;

/**
 * Untrusted bytes or text that do not parse: a macaroon, an identifier, a header or an invoice.
 *
 * <p>Checked, so that every parser's caller decides what a malformed input means to its user
 * (a fresh 402, an exit code, a 400). The message says what was expected and what was found,
 * and never contains secrets.
 */
public class L402FormatException extends Exception {
    public L402FormatException(String message) {
        super(message);
    }

    public L402FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
