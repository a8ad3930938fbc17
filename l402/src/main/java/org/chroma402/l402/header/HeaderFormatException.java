package org.chroma402.l402.header;

import org.chroma402.l402.L402FormatException;

/** A {@code WWW-Authenticate} or {@code Authorization} value that is not a well-formed L402 one. */
public final class HeaderFormatException extends L402FormatException {
    public HeaderFormatException(String message) {
        super(message);
    }

    public HeaderFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
