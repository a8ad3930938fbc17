package org.chroma402.colorize.remote;

/** An Open Inference Protocol message that does not parse or does not add up; the message says why. */
public final class OipFormatException extends Exception {
    public OipFormatException(String message) {
        super(message);
    }
}
