package org.chroma402.l402.caveat;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a macaroon's first-party caveats against a set of satisfiers.
 *
 * <p>Rules, as Aperture applies them: caveats with a condition no satisfier knows are skipped
 * (clients may add their own); for each known condition the caveats must narrow in order and the
 * last one must hold; a malformed caveat is refused.
 */
public final class CaveatVerifier {

    private CaveatVerifier() {
    }

    public static void verify(List<String> caveats, List<? extends CaveatSatisfier> satisfiers)
            throws CaveatException {
        List<Caveat> parsed = new ArrayList<>(caveats.size());
        for (String text : caveats) {
            parsed.add(Caveat.parse(text));
        }
        for (CaveatSatisfier satisfier : satisfiers) {
            try {
                verify(parsed, satisfier);
            } catch (CaveatException e) {
                throw e.condition().isPresent() ? e : new CaveatException(satisfier.condition(), e.getMessage());
            }
        }
    }

    private static void verify(List<Caveat> parsed, CaveatSatisfier satisfier) throws CaveatException {
        Caveat previous = null;
        for (Caveat caveat : parsed) {
            if (!caveat.condition().equals(satisfier.condition())) {
                continue;
            }
            if (previous != null) {
                satisfier.satisfyPrevious(previous, caveat);
            }
            previous = caveat;
        }
        if (previous != null) {
            satisfier.satisfyFinal(previous);
        } else if (satisfier.required()) {
            throw new CaveatException(satisfier.condition(), "required caveat " + satisfier.condition() + " is missing");
        }
    }
}
