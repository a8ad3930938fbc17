package org.chroma402.app.config;

import java.util.List;

/**
 * A configuration value that is missing, unknown or malformed; the message names the setting.
 * The loader reports every such mistake it finds at once ({@link #problems()}), so a file with
 * three mistakes takes one run to fix, not three.
 */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String message) {
        this(List.of(message));
    }

    /** One exception for several mistakes, each named with its source, in the order they were found. */
    public ConfigException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0) : problems.size() + " mistakes: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each mistake on its own (one, unless the loader found several). */
    public List<String> problems() {
        return problems;
    }
}
