package org.chroma402.l402.caveat;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The {@code <service>_capabilities=a,b} caveat: what a token may do within a service. A later
 * caveat may only remove capabilities; the last one must include {@code capability}.
 */
public final class CapabilitiesSatisfier implements CaveatSatisfier {
    private final String condition;
    private final String capability;

    public CapabilitiesSatisfier(String service, String capability) {
        this.condition = service + "_capabilities";
        this.capability = capability;
    }

    @Override
    public String condition() {
        return condition;
    }

    @Override
    public void satisfyPrevious(Caveat previous, Caveat current) throws CaveatException {
        Set<String> before = parse(previous.value());
        for (String added : parse(current.value())) {
            if (!before.contains(added)) {
                throw new CaveatException(condition + " caveat adds capability " + added);
            }
        }
    }

    @Override
    public void satisfyFinal(Caveat last) throws CaveatException {
        if (!parse(last.value()).contains(capability)) {
            throw new CaveatException("token lacks capability " + capability);
        }
    }

    private static Set<String> parse(String value) {
        Set<String> out = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }
}
