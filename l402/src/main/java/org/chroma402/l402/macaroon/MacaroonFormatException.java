package org.chroma402.l402.macaroon;

import org.chroma402.l402.L402FormatException;

/** Bytes or base64 text that are not a well-formed v2 binary macaroon. */
public final class MacaroonFormatException extends L402FormatException {
    public MacaroonFormatException(String message) {
        super(message);
    }
}
