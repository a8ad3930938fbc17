package org.chroma402.colorize;

/**
 * The model could not colorize: it failed to load, is not a DDColor model, or ONNX Runtime
 * failed while running it. Bad input images are {@link org.chroma402.colorize.image.ImageException}s.
 */
public class ColorizationException extends Exception {
    public ColorizationException(String message) {
        super(message);
    }

    public ColorizationException(String message, Throwable cause) {
        super(message, cause);
    }
}
