package org.chroma402.l402.x402;

import org.chroma402.l402.L402FormatException;

/** An x402 header that does not parse, or is not a Lightning payment; the message says why. */
public final class X402FormatException extends L402FormatException {
    public X402FormatException(String message) {
        super(message);
    }
}
