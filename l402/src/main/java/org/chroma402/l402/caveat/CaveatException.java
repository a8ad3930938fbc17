package org.chroma402.l402.caveat;

import java.util.Optional;

/**
 * A caveat that is malformed or not satisfied; the message says which and why, and
 * {@link #condition()} names the caveat's condition when one was judged (not for a caveat too
 * malformed to have one), so callers can tell refusals apart without reading the message.
 */
public final class CaveatException extends Exception {
    private final String condition;

    public CaveatException(String message) {
        this(null, message);
    }

    public CaveatException(String condition, String message) {
        super(message);
        this.condition = condition;
    }

    /** The condition of the caveat that failed, if the failure was judging one. */
    public Optional<String> condition() {
        return Optional.ofNullable(condition);
    }
}
