package org.chroma402.lightning;

/**
 * The Lightning node or wallet could not do what was asked: it is down, refused, or answered
 * something that makes no sense. Unchecked, because callers can rarely do more than report it;
 * the server turns it into a {@code 503} before any challenge is minted.
 *
 * <p>Messages name the backend and what went wrong, never macaroons, runes, keys or passwords.
 */
public class LightningException extends RuntimeException {
    public LightningException(String message) {
        super(message);
    }

    public LightningException(String message, Throwable cause) {
        super(message, cause);
    }
}
