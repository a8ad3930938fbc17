package org.chroma402.l402.caveat;

import java.time.Clock;
import java.time.Instant;

/**
 * The {@code <service>_valid_until=<unix seconds>} caveat. A later caveat may only bring the
 * time forward; the token is refused once the clock is past the last one.
 */
public final class ValidUntilSatisfier implements CaveatSatisfier {
    private final String condition;
    private final Clock clock;
    private final boolean required;

    public ValidUntilSatisfier(String service, Clock clock, boolean required) {
        this.condition = conditionFor(service);
        this.clock = clock;
        this.required = required;
    }

    public static String conditionFor(String service) {
        return service + "_valid_until";
    }

    public static Caveat caveat(String service, Instant validUntil) {
        return new Caveat(conditionFor(service), Long.toString(validUntil.getEpochSecond()));
    }

    @Override
    public String condition() {
        return condition;
    }

    @Override
    public boolean required() {
        return required;
    }

    @Override
    public void satisfyPrevious(Caveat previous, Caveat current) throws CaveatException {
        if (seconds(current) > seconds(previous)) {
            throw new CaveatException(condition + " caveat extends the validity");
        }
    }

    @Override
    public void satisfyFinal(Caveat last) throws CaveatException {
        long until = seconds(last);
        if (clock.instant().getEpochSecond() > until) {
            throw new CaveatException("token expired at " + Instant.ofEpochSecond(until));
        }
    }

    private long seconds(Caveat caveat) throws CaveatException {
        try {
            return Long.parseLong(caveat.value());
        } catch (NumberFormatException e) {
            throw new CaveatException(condition + " caveat is not a number of seconds");
        }
    }
}
