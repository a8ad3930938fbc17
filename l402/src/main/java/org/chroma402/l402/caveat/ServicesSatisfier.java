package org.chroma402.l402.caveat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code services=name:tier[,name:tier...]} caveat: which services a token may be used for.
 * A later caveat may only drop services or keep their tier; the last must list {@code service}.
 */
public final class ServicesSatisfier implements CaveatSatisfier {
    public static final String CONDITION = "services";

    private final String service;

    public ServicesSatisfier(String service) {
        this.service = service;
    }

    /** The caveat value for one service at one tier. */
    public static Caveat caveat(String service, int tier) {
        return new Caveat(CONDITION, service + ":" + tier);
    }

    @Override
    public String condition() {
        return CONDITION;
    }

    @Override
    public boolean required() {
        return true;
    }

    @Override
    public void satisfyPrevious(Caveat previous, Caveat current) throws CaveatException {
        Map<String, Integer> before = parse(previous.value());
        for (Map.Entry<String, Integer> entry : parse(current.value()).entrySet()) {
            Integer tier = before.get(entry.getKey());
            if (tier == null) {
                throw new CaveatException("services caveat adds service " + entry.getKey());
            }
            if (!tier.equals(entry.getValue())) {
                throw new CaveatException("services caveat changes the tier of " + entry.getKey());
            }
        }
    }

    @Override
    public void satisfyFinal(Caveat last) throws CaveatException {
        if (!parse(last.value()).containsKey(service)) {
            throw new CaveatException("token is not valid for service " + service);
        }
    }

    static Map<String, Integer> parse(String value) throws CaveatException {
        Map<String, Integer> services = new LinkedHashMap<>();
        for (String entry : value.split(",", -1)) {
            String trimmed = entry.strip();
            int colon = trimmed.lastIndexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new CaveatException("services entry \"" + trimmed + "\" is not name:tier");
            }
            try {
                services.put(trimmed.substring(0, colon), Integer.parseInt(trimmed.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new CaveatException("services entry \"" + trimmed + "\" has a non-numeric tier");
            }
        }
        return services;
    }
}
