package org.chroma402.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merged settings (file, then environment, then flags), as flat dotted keys such as
 * {@code server.port}, with typed getters that name the key in every error.
 */
public final class Settings {
    private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)?)\\s*([kmgt]?i?b?)?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("^(\\d+)\\s*(ms|s|m|h|d)?$", Pattern.CASE_INSENSITIVE);

    private final Map<String, String> values;
    private final Map<String, String> sources;
    private final List<String> warnings;

    Settings(Map<String, String> values, Map<String, String> sources, List<String> warnings) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.sources = Map.copyOf(sources);
        this.warnings = List.copyOf(warnings);
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values, Map.of(), List.of());
    }

    /** Where a key's value came from ({@code file:line}, a variable, a flag), or "default". */
    public String sourceOf(String key) {
        return sources.getOrDefault(key, values.containsKey(key) ? "given" : "default");
    }

    /** What the loader noticed but did not refuse (an unknown {@code CHROMA402_*} variable). */
    public List<String> warnings() {
        return warnings;
    }

    /** The configured value of a setting, if any (blank counts as unset). */
    public Optional<String> get(Setting setting) {
        return get(setting.key());
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** The configured value, else the registry's default; null when there is neither. */
    public String string(Setting setting) {
        return get(setting).orElse(setting.hasFixedDefault() ? setting.defaultValue() : null);
    }

    public int integer(Setting setting) {
        return parseInteger(setting.key(), required(setting));
    }

    public long longValue(Setting setting) {
        return parseLong(setting.key(), required(setting));
    }

    public double decimal(Setting setting) {
        return parseDecimal(setting.key(), required(setting));
    }

    public boolean bool(Setting setting) {
        return parseBoolean(setting.key(), required(setting));
    }

    /** Sizes like {@code 20MiB}, {@code 512k}, {@code 1048576}. */
    public long bytes(Setting setting) {
        return parseBytes(setting.key(), required(setting));
    }

    /** Durations like {@code 10m}, {@code 600s}, {@code 24h}, {@code 250ms} or ISO-8601 {@code PT10M}. */
    public Duration duration(Setting setting) {
        return parseDuration(setting.key(), required(setting));
    }

    /** A path setting whose default is derived from another one ({@code <data-dir>/results}). */
    public Path path(Setting setting, Path derivedDefault) {
        return get(setting).map(Path::of).orElse(derivedDefault);
    }

    /** A path setting with a fixed default. */
    public Path path(Setting setting) {
        return Path.of(required(setting));
    }

    /** A comma-separated list. */
    public List<String> list(Setting setting) {
        List<String> out = new ArrayList<>();
        Optional.ofNullable(string(setting)).ifPresent(v -> {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        });
        return out;
    }

    private String required(Setting setting) {
        String value = string(setting);
        if (value == null) {
            throw new IllegalStateException(setting.key() + " has no default; read it with get()");
        }
        return value;
    }

    /** Checks a value against its setting's type; the error names the key, and never shows a secret. */
    static void check(Setting setting, String key, String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            return;
        }
        switch (setting.type()) {
            case INTEGER -> parseLong(key, v);
            case DECIMAL -> parseDecimal(key, v);
            case BOOLEAN -> parseBoolean(key, v);
            case DURATION -> parseDuration(key, v);
            case SIZE -> parseBytes(key, v);
            case URL -> ConfigParsing.uri(key, v);
            case TEXT, PATH, LIST -> {
            }
        }
    }

    private static int parseInteger(String key, String v) {
        long n = parseLong(key, v);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw new ConfigException(key + " is out of range, got '" + v + "'");
        }
        return (int) n;
    }

    private static long parseLong(String key, String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, got '" + v + "'");
        }
    }

    private static double parseDecimal(String key, String v) {
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a number, got '" + v + "'");
        }
    }

    private static boolean parseBoolean(String key, String v) {
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key + " must be true or false, got '" + v + "'");
        };
    }

    /** The distinct middle parts of keys {@code prefix.<name>.<field>}, such as model names. */
    public List<String> names(String prefix) {
        TreeSet<String> names = new TreeSet<>();
        String start = prefix + ".";
        for (String key : values.keySet()) {
            if (key.startsWith(start)) {
                String rest = key.substring(start.length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    names.add(rest.substring(0, dot));
                }
            }
        }
        return new ArrayList<>(names);
    }

    /** The last parts of the keys directly under {@code prefix} ({@code pricing.artistic} → {@code artistic}). */
    public List<String> leaves(String prefix) {
        TreeSet<String> names = new TreeSet<>();
        String start = prefix + ".";
        for (String key : values.keySet()) {
            if (key.startsWith(start) && key.indexOf('.', start.length()) < 0 && key.length() > start.length()) {
                names.add(key.substring(start.length()));
            }
        }
        return new ArrayList<>(names);
    }

    public Map<String, String> asMap() {
        return values;
    }

    static long parseBytes(String key, String v) {
        Matcher m = SIZE.matcher(v.strip());
        if (!m.matches()) {
            throw new ConfigException(key + " must be a size such as 20MiB or 512KiB, got '" + v + "'");
        }
        double number = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit.isEmpty() ? ' ' : unit.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1L;
        };
        return (long) (number * factor);
    }

    static Duration parseDuration(String key, String v) {
        String s = v.strip();
        if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(s);
            } catch (RuntimeException e) {
                throw new ConfigException(key + " is not an ISO-8601 duration: '" + v + "'");
            }
        }
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            throw new ConfigException(key + " must be a duration such as 10m, 600s or 24h, got '" + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
