package org.chroma402.l402.caveat;

/** A caveat that is malformed or not satisfied; the message says which and why. */
public final class CaveatException extends Exception {
    public CaveatException(String message) {
        super(message);
    }
}
