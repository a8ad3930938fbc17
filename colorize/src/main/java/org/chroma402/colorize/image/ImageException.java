package org.chroma402.colorize.image;

/**
 * An input that is not an image Chroma402 can colorize. The {@link Reason} says which rule it
 * breaks; the message says it in words a user can act on.
 */
public final class ImageException extends Exception {

    /** Why an image was refused. */
    public enum Reason {
        /** No bytes at all. */
        EMPTY,
        /** Base64 text that does not decode. */
        BAD_BASE64,
        /** Bytes that are no known image format. */
        NOT_AN_IMAGE,
        /** A known format that Chroma402 does not read (HEIC, SVG, PDF...). */
        UNSUPPORTED_FORMAT,
        /** More encoded bytes than allowed. */
        TOO_LARGE,
        /** More pixels than allowed, judged from the header before decoding. */
        TOO_MANY_PIXELS,
        /** A known format whose data is truncated or corrupt. */
        CORRUPT,
        /**
         * Decodable in principle, but built to cost far more work than its size suggests (a JPEG
         * with hundreds of scans), or slower to check than the time allowed.
         */
        TOO_COMPLEX
    }

    private final Reason reason;

    public ImageException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ImageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
