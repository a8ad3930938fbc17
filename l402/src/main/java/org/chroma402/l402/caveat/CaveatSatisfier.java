package org.chroma402.l402.caveat;

/**
 * Knows what one caveat condition means. {@link CaveatVerifier} groups a macaroon's caveats by
 * condition: each later caveat must be at least as strict as the one before it
 * ({@link #satisfyPrevious}) and the last one is checked against the request
 * ({@link #satisfyFinal}). This is Aperture's {@code Satisfier}.
 */
public interface CaveatSatisfier {

    /** The condition this satisfier handles, such as {@code services}. */
    String condition();

    /** Whether a macaroon without this condition must be refused. Defaults to false. */
    default boolean required() {
        return false;
    }

    /** Checks that {@code current} narrows (or repeats) {@code previous}. */
    void satisfyPrevious(Caveat previous, Caveat current) throws CaveatException;

    /** Checks the last caveat of this condition against the request being made. */
    void satisfyFinal(Caveat last) throws CaveatException;
}
