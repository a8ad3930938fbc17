package org.chroma402.app.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.chroma402.app.Logging;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.app.config.ConfigLoader;
import org.chroma402.app.config.Settings;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The options every command that reads the configuration shares. */
public final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML configuration file.")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: ./data).")
    Path dataDir;

    /** Flags that override settings, added to by each command. */
    final Map<String, String> flags = new LinkedHashMap<>();

    /** Warnings already logged: a command that reads the settings twice (settings(), then config()) warns once. */
    private final Set<String> warned = new HashSet<>();

    /** The settings, their warnings (an unknown {@code CHROMA402_*} variable) logged once. */
    public Settings settings() {
        if (dataDir != null) {
            flags.put("data-dir", dataDir.toString());
        }
        Settings settings = ConfigLoader.load(configFile, System.getenv(), flags);
        Logging.apply(settings);
        settings.warnings().stream().filter(warned::add)
                .forEach(w -> LoggerFactory.getLogger("org.chroma402.config").warn(w));
        return settings;
    }

    public Chroma402Config config() {
        return Chroma402Config.from(settings());
    }
}
