package org.chroma402.lightning.nwc;

/** A Nostr message that cannot be used: a bad key, event, signature or encrypted payload. */
public final class NostrException extends RuntimeException {
    public NostrException(String message) {
        super(message);
    }

    public NostrException(String message, Throwable cause) {
        super(message, cause);
    }
}
