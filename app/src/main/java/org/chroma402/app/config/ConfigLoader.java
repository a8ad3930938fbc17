package org.chroma402.app.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Reads the settings once, in order of precedence: a YAML file (optional), environment variables
 * ({@code CHROMA402_SERVER_PORT} for {@code server.port}: upper case, dots and dashes as
 * underscores; {@code CHROMA402_…_FILE} reads the value from a file, as Docker and Kubernetes
 * secrets are mounted), then command-line flags.
 *
 * <p>Every value is checked where it was given, so an error names its source ({@code file:line},
 * the variable, the flag) and a bad value in the file is reported even when a flag overrides it.
 * Unknown keys in the file and flags are refused with a suggestion, so a typo never silently
 * leaves a default in place; unknown {@code CHROMA402_*} variables are reported as warnings (the
 * environment also holds other programs' variables). Nothing else in Chroma402 reads the
 * environment.
 */
public final class ConfigLoader {
    private static final String ENV_PREFIX = "CHROMA402_";
    private static final String FILE_SUFFIX = "_FILE";
    /** Variables that are not settings but that Chroma402's own scripts and tests use. */
    private static final List<String> NOT_SETTINGS = List.of("CHROMA402_REQUIRE_BROWSER", "CHROMA402_REQUIRE_INTEROP",
            "CHROMA402_REQUIRE_PROMTOOL", "CHROMA402_REQUIRE_SYSTEMD", "CHROMA402_REQUIRE_HAPROXY", "CHROMA402_REQUIRE_TORCH",
            "CHROMA402_PYTHON");
    /** A secret file larger than this is a mistake (a directory of certificates, a disk image). */
    private static final long MAX_SECRET_FILE_BYTES = 1 << 20;

    private ConfigLoader() {
    }

    /**
     * Reads and checks everything; throws one {@link ConfigException} listing every mistake found
     * (unknown keys, malformed values, unreadable secret files), not just the first.
     */
    public static Settings load(Path file, Map<String, String> environment, Map<String, String> flags) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (file != null) {
            readYaml(file).forEach((key, located) -> accept(key, located.value(), file + ":" + located.line(), values,
                    sources, problems));
        }
        fromEnvironment(environment, warnings, problems).forEach((key, located) -> accept(key, located.value(),
                located.source(), values, sources, problems));
        flags.forEach((key, value) -> {
            if (value != null) {
                accept(key, value, "flag for " + key, values, sources, problems);
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Settings(values, sources, warnings);
    }

    private static void accept(String key, String value, String source, Map<String, String> values,
            Map<String, String> sources, List<String> problems) {
        Setting setting = SettingRegistry.find(key).orElse(null);
        if (setting == null) {
            problems.add("unknown setting '" + key + "' (" + source + ")" + suggestion(key));
            return;
        }
        try {
            Settings.check(setting, key, value);
        } catch (ConfigException e) {
            problems.add(e.getMessage() + " (" + source + ")");
            return;
        }
        values.put(key, value);
        sources.put(key, source);
    }

    private static String suggestion(String key) {
        return closest(key, SettingRegistry.all().stream().filter(s -> !s.isFamily()).map(Setting::key).toList())
                .map(best -> "; did you mean '" + best + "'?").orElse("");
    }

    private static java.util.Optional<String> closest(String text, List<String> candidates) {
        LevenshteinDistance distance = new LevenshteinDistance(3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance.apply(text, candidate);
            if (d >= 0 && d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return java.util.Optional.ofNullable(best);
    }

    /** A value and where it was written. */
    record Located(String value, int line, String source) {
    }

    /** The YAML file as flat dotted keys, each with the line its value is on. */
    private static Map<String, Located> readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file " + file + " does not exist");
        }
        Map<String, Located> out = new LinkedHashMap<>();
        try (JsonParser parser = new YAMLFactory().createParser(file.toFile())) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return out;
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException("configuration file " + file + " must be a mapping of settings");
            }
            Deque<String> path = new ArrayDeque<>();
            flatten(parser, path, out);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        return out;
    }

    /** Reads the members of the object the parser is in, up to its end. */
    private static void flatten(JsonParser parser, Deque<String> path, Map<String, Located> out) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            path.addLast(parser.currentName());
            String key = String.join(".", path);
            JsonToken token = parser.nextToken();
            int line = parser.currentTokenLocation().getLineNr();
            if (token == JsonToken.START_OBJECT) {
                flatten(parser, path, out);
            } else if (token == JsonToken.START_ARRAY) {
                StringBuilder joined = new StringBuilder();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (parser.currentToken().isStructStart()) {
                        throw new ConfigException(key + " must be a list of plain values (line " + line + ")");
                    }
                    joined.append(joined.length() > 0 ? "," : "").append(parser.getText());
                }
                out.put(key, new Located(joined.toString(), line, null));
            } else if (token != JsonToken.VALUE_NULL) {
                out.put(key, new Located(parser.getText(), line, null));
            }
            path.removeLast();
        }
    }

    static Map<String, Located> fromEnvironment(Map<String, String> environment, List<String> warnings, List<String> problems) {
        Map<String, Located> out = new LinkedHashMap<>();
        List<String> known = new ArrayList<>();
        for (Setting setting : SettingRegistry.all()) {
            if (!setting.isFamily()) {
                known.add(envName(setting.key()));
            }
        }
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX) || NOT_SETTINGS.contains(name)) {
                continue;
            }
            // CHROMA402_MODELS_LARGE_FILE is a setting of its own; only other names ending in _FILE read a file.
            boolean fromFile = keyOf(name) == null && name.endsWith(FILE_SUFFIX);
            String variable = fromFile ? name.substring(0, name.length() - FILE_SUFFIX.length()) : name;
            String key = keyOf(variable);
            if (key == null) {
                warnings.add("ignored environment variable " + name + ": no such setting"
                        + closest(variable, known).map(best -> "; did you mean " + best + (fromFile ? FILE_SUFFIX : "") + "?")
                                .orElse(""));
                continue;
            }
            String source = "environment variable " + name;
            try {
                String value = fromFile ? readSecretFile(name, e.getValue()) : e.getValue();
                if (fromFile && environment.containsKey(variable)) {
                    throw new ConfigException("both " + variable + " and " + name + " are set; keep one");
                }
                out.put(key, new Located(value, 0, source));
            } catch (ConfigException mistake) {
                problems.add(mistake.getMessage());
            }
        }
        return out;
    }

    /** The setting an environment variable names, or null. */
    private static String keyOf(String variable) {
        for (Setting setting : SettingRegistry.all()) {
            if (!setting.isFamily() && envName(setting.key()).equals(variable)) {
                return setting.key();
            }
        }
        // Prices of extra models: CHROMA402_PRICING_<NAME>.
        if (variable.startsWith(ENV_PREFIX + "PRICING_") && variable.length() > (ENV_PREFIX + "PRICING_").length()) {
            return "pricing." + variable.substring((ENV_PREFIX + "PRICING_").length()).toLowerCase(Locale.ROOT).replace('_', '-');
        }
        // Per-model settings: CHROMA402_MODELS_<NAME>_<FIELD>.
        if (variable.startsWith(ENV_PREFIX + "MODELS_")) {
            for (String field : new String[] {"FILE", "URL", "SHA256", "DESCRIPTION", "ARCHITECTURE", "PRECISION"}) {
                if (variable.endsWith("_" + field) && variable.length() > (ENV_PREFIX + "MODELS__" + field).length()) {
                    String model = variable.substring((ENV_PREFIX + "MODELS_").length(), variable.length() - field.length() - 1)
                            .toLowerCase(Locale.ROOT).replace('_', '-');
                    return "models." + model + "." + field.toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    private static String readSecretFile(String variable, String pathText) {
        Path path = Path.of(pathText.strip());
        try {
            if (!Files.isRegularFile(path)) {
                throw new ConfigException(variable + " names " + path + ", which is not a readable file");
            }
            if (Files.size(path) > MAX_SECRET_FILE_BYTES) {
                throw new ConfigException(variable + " names " + path + ", which is larger than 1 MiB");
            }
            // One trailing newline is how secrets are usually written; the value is what comes before it.
            return Files.readString(path, StandardCharsets.UTF_8).replaceFirst("\\r?\\n$", "");
        } catch (IOException e) {
            throw new ConfigException(variable + ": cannot read " + path + ": " + e.getMessage());
        }
    }

    /** The environment variable that sets {@code key}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
