package org.chroma402.app.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One setting Chroma402 knows: its key, the type its value must have, its default, what it
 * means, and whether its value is a secret (never printed, logged or echoed in errors).
 *
 * <p>The default is text in the same form a user would write; {@link Settings} parses it with
 * the same rules as a configured value, so the registry's text is the default. A default that
 * depends on another setting (such as {@code <data-dir>/results}) is written with angle brackets
 * and is only documentation: the reader derives it. A key with a {@code <name>} part, such as
 * {@code pricing.<model>}, stands for a family of keys.
 */
public record Setting(String key, Type type, String defaultValue, String description, boolean secret) {

    /** What a value must look like. */
    public enum Type {
        TEXT, INTEGER, DECIMAL, BOOLEAN, DURATION, SIZE, PATH, URL, LIST
    }

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
    }

    /** Whether the default is written out and parsed (rather than derived from another setting, or absent). */
    public boolean hasFixedDefault() {
        return defaultValue != null && !defaultValue.contains("<");
    }

    /** Whether this entry stands for a family of keys, such as {@code pricing.<model>}. */
    public boolean isFamily() {
        return key.contains("<");
    }

    /** Whether {@code concreteKey} is this setting or one of its family. */
    public boolean matches(String concreteKey) {
        if (!isFamily()) {
            return key.equals(concreteKey);
        }
        String regex = Pattern.quote(key).replaceAll("<[a-z-]+>", "\\\\E[a-z0-9][a-z0-9_-]*\\\\Q");
        return concreteKey.matches(regex);
    }

    /** The concrete setting of a family for one name: {@code pricing.<model>} for {@code tiny} is {@code pricing.tiny}. */
    public Setting forName(String name) {
        if (!isFamily()) {
            throw new IllegalStateException(key + " is not a family of settings");
        }
        return new Setting(key.replaceFirst("<[a-z-]+>", name), type, defaultValue, description, secret);
    }

    /** The text to show for a value: itself, or a mark for a secret. */
    public String display(String value) {
        return secret && value != null && !value.isEmpty() ? "<redacted>" : value;
    }
}
