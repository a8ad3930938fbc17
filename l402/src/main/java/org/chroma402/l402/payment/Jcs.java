package org.chroma402.l402.payment;

import java.io.IOException;
import org.erdtman.jcs.JsonCanonicalizer;

/** RFC 8785 (JSON Canonicalization Scheme), by the reference implementation of the RFC's author. */
public final class Jcs {
    private Jcs() {
    }

    /** The canonical form of a JSON text. */
    public static String canonicalize(String json) throws PaymentFormatException {
        try {
            return new JsonCanonicalizer(json).getEncodedString();
        } catch (IOException | RuntimeException e) {
            throw new PaymentFormatException("not canonicalizable JSON: " + e.getMessage(), e);
        }
    }
}
