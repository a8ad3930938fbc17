package org.chroma402.app.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.chroma402.server.ServerConfig;
import org.chroma402.server.persistence.DatabaseConfig;

/** What {@code serve} needs beyond the engine settings: the server, its database and storage. */
public record ServeConfig(ServerConfig server, DatabaseConfig database, String lightningBackend, Path resultsDir,
        Path inputsDir) {

    public static ServeConfig from(Settings s, Chroma402Config base) {
        String backend = s.string("lightning.backend", "dev").toLowerCase(java.util.Locale.ROOT);
        Map<String, Long> prices = new LinkedHashMap<>();
        prices.put("large", s.longValue("pricing.large", 5));
        prices.put("tiny", s.longValue("pricing.tiny", 5));
        for (String key : s.asMap().keySet()) {
            if (key.startsWith("pricing.")) {
                String model = key.substring("pricing.".length());
                prices.put(model, s.longValue(key, 5));
            }
        }
        try {
            URI publicUrl = s.get("server.public-url").map(ConfigParsing::uri).orElse(null);
            ServerConfig server = new ServerConfig(s.string("server.host", "127.0.0.1"), s.integer("server.port", 8402),
                    publicUrl, s.list("server.cors-origins"), s.bool("server.trust-proxy", false), prices,
                    s.duration("tokens.invoice-expiry", Duration.ofMinutes(10)),
                    s.duration("tokens.redeem-window", Duration.ofHours(1)),
                    s.duration("results.retention", Duration.ofHours(24)),
                    s.integer("limits.challenges-per-minute", 30), s.integer("limits.challenge-burst", 10),
                    s.duration("jobs.lease", Duration.ofSeconds(30)), s.integer("jobs.workers", 2), base.limits(),
                    "dev".equals(backend), s.duration("tokens.key-rotation", Duration.ofDays(30)));
            String url = s.string("database.url", "jdbc:sqlite:" + base.dataDir().resolve("chroma402.db").toAbsolutePath());
            DatabaseConfig database = new DatabaseConfig(url, s.get("database.username").orElse(null),
                    s.get("database.password").orElse(null), s.integer("database.max-pool-size", 4));
            return new ServeConfig(server, database, backend, s.path("results.dir", base.dataDir().resolve("results")),
                    base.dataDir().resolve("inputs"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
