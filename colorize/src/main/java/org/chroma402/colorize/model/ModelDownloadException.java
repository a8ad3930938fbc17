package org.chroma402.colorize.model;

/** A model download that failed: HTTP error, wrong digest, or a file that is no DDColor model. */
public final class ModelDownloadException extends Exception {
    public ModelDownloadException(String message) {
        super(message);
    }

    public ModelDownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
