package org.chroma402.lightning;

/** The backend did not answer within its time limit. */
public class LightningTimeoutException extends LightningException {
    public LightningTimeoutException(String message) {
        super(message);
    }

    public LightningTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
