package org.chroma402.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Reads the settings once, in order of precedence: a YAML file (optional), environment variables
 * ({@code CHROMA402_SERVER_PORT} for {@code server.port}: upper case, dots and dashes as
 * underscores), then command-line flags. Unknown keys in the file are refused, so a typo never
 * silently leaves a default in place. Nothing else in Chroma402 reads the environment.
 */
public final class ConfigLoader {
    private static final String ENV_PREFIX = "CHROMA402_";

    private ConfigLoader() {
    }

    public static Settings load(Path file, Map<String, String> environment, Map<String, String> flags) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (file != null) {
            merged.putAll(readYaml(file));
        }
        merged.putAll(fromEnvironment(environment));
        flags.forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        for (Map.Entry<String, String> e : merged.entrySet()) {
            Setting setting = SettingRegistry.find(e.getKey()).orElseThrow(
                    () -> new ConfigException("unknown setting '" + e.getKey() + "'" + suggestion(e.getKey())));
            Settings.check(setting, e.getKey(), e.getValue());
        }
        return new Settings(merged);
    }

    static boolean isKnown(String key) {
        return SettingRegistry.find(key).isPresent();
    }

    private static String suggestion(String key) {
        LevenshteinDistance distance = new LevenshteinDistance(3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Setting known : SettingRegistry.all()) {
            if (known.isFamily()) {
                continue;
            }
            int d = distance.apply(key, known.key());
            if (d >= 0 && d < bestDistance) {
                bestDistance = d;
                best = known.key();
            }
        }
        return best != null ? "; did you mean '" + best + "'?" : "";
    }

    private static Map<String, String> readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file " + file + " does not exist");
        }
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            Map<String, String> out = new LinkedHashMap<>();
            if (root != null && !root.isNull() && !root.isMissingNode()) {
                if (!root.isObject()) {
                    throw new ConfigException("configuration file " + file + " must be a mapping of settings");
                }
                flatten("", root, out);
            }
            return out;
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode item : node) {
                if (joined.length() > 0) {
                    joined.append(',');
                }
                joined.append(item.asText());
            }
            out.put(prefix, joined.toString());
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }

    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Setting setting : SettingRegistry.all()) {
            if (setting.isFamily()) {
                continue;
            }
            String key = setting.key();
            String value = environment.get(envName(key));
            if (value != null) {
                out.put(key, value);
            }
        }
        // Prices of extra models: CHROMA402_PRICING_<NAME>.
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (e.getKey().startsWith(ENV_PREFIX + "PRICING_")) {
                String model = e.getKey().substring((ENV_PREFIX + "PRICING_").length()).toLowerCase(Locale.ROOT).replace('_', '-');
                if (!model.isEmpty()) {
                    out.put("pricing." + model, e.getValue());
                }
            }
        }
        // Per-model settings: CHROMA402_MODELS_<NAME>_<FIELD>.
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(ENV_PREFIX + "MODELS_")) {
                for (String field : new String[] {"FILE", "URL", "SHA256", "DESCRIPTION"}) {
                    if (name.endsWith("_" + field) && name.length() > (ENV_PREFIX + "MODELS__" + field).length()) {
                        String model = name.substring((ENV_PREFIX + "MODELS_").length(), name.length() - field.length() - 1)
                                .toLowerCase(Locale.ROOT).replace('_', '-');
                        out.put("models." + model + "." + field.toLowerCase(Locale.ROOT), e.getValue());
                    }
                }
            }
        }
        return out;
    }

    /** The environment variable that sets {@code key}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
