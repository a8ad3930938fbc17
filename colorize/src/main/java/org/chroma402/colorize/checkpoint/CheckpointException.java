package org.chroma402.colorize.checkpoint;

/**
 * A checkpoint that cannot be used: not a format this reader knows, hostile, damaged, or not the
 * network it was meant for. The message names the file part or state-dict key at fault.
 */
public final class CheckpointException extends Exception {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
