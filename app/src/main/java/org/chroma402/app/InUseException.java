package org.chroma402.app;

/**
 * Something this process must own is held by another one: the data directory (locked by a
 * running Chroma402, whose PID the message names when it can) or the port to listen on. Not a
 * configuration error: the same configuration works once the other process has stopped. Thrown
 * before any work starts; the command exits with {@code ExitCodes.IN_USE}.
 */
public final class InUseException extends RuntimeException {
    public InUseException(String message) {
        super(message);
    }
}
