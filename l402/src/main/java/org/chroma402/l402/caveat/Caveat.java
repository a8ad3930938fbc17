package org.chroma402.l402.caveat;

/**
 * A first-party L402 caveat, {@code condition=value}. The condition is everything before the
 * first {@code =}; surrounding whitespace is ignored, as Aperture does.
 */
public record Caveat(String condition, String value) {

    public Caveat {
        if (condition == null || condition.isBlank()) {
            throw new IllegalArgumentException("caveat condition is empty");
        }
        if (value == null) {
            throw new IllegalArgumentException("caveat value is missing");
        }
        condition = condition.strip();
        value = value.strip();
    }

    /** Parses {@code condition=value}. */
    public static Caveat parse(String text) throws CaveatException {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new CaveatException("caveat \"" + abbreviate(text) + "\" is not of the form condition=value");
        }
        String condition = text.substring(0, eq);
        if (condition.isBlank()) {
            throw new CaveatException("caveat \"" + abbreviate(text) + "\" has an empty condition");
        }
        return new Caveat(condition, text.substring(eq + 1));
    }

    public String format() {
        return condition + "=" + value;
    }

    @Override
    public String toString() {
        return format();
    }

    private static String abbreviate(String text) {
        return text.length() > 64 ? text.substring(0, 61) + "..." : text;
    }
}
