package org.chroma402.l402.caveat;

/**
 * A caveat that pins a value exactly, such as a token bound to one request digest. Every caveat
 * of the condition must carry the expected value, so attenuation cannot change it.
 */
public final class EqualsSatisfier implements CaveatSatisfier {
    private final String condition;
    private final String expected;
    private final boolean required;

    public EqualsSatisfier(String condition, String expected, boolean required) {
        this.condition = condition;
        this.expected = expected;
        this.required = required;
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
        if (!previous.value().equals(current.value())) {
            throw new CaveatException(condition + " caveat changes its value");
        }
    }

    @Override
    public void satisfyFinal(Caveat last) throws CaveatException {
        if (!expected.equals(last.value())) {
            throw new CaveatException(condition + " does not match this request");
        }
    }
}
