package org.chroma402.app.config;

import static org.chroma402.app.config.SettingRegistry.*;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.persistence.DatabaseConfig;
import org.chroma402.server.storage.S3Settings;

/**
 * What {@code serve} needs beyond the engine settings: the server, its database, storage, and
 * the models on sale with their prices.
 *
 * @param prices sats per colorization by model name: {@code large} and {@code tiny}, and any other
 *     model with a {@code pricing.<model>} setting
 * @param s3 the shared bucket with {@code results.store: s3}; null for the local directories
 */
public record ServeConfig(ServerConfig server, DatabaseConfig database, Map<String, Long> prices, Path resultsDir,
        Path inputsDir, S3Settings s3) {
    /** The models offered without any configuration. */
    public static final List<String> OFFERED = List.of("large", "tiny");

    public ServeConfig {
        prices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(prices));
    }

    public static ServeConfig from(Settings s, Chroma402Config base) {
        Map<String, Long> prices = new LinkedHashMap<>();
        OFFERED.forEach(model -> prices.put(model, s.longValue(PRICING.forName(model))));
        // pricing.<model> is a leaf: names() lists only keys with a further part (models.<name>.url).
        for (String model : s.leaves("pricing")) {
            prices.put(model, s.longValue(PRICING.forName(model)));
        }
        prices.forEach((model, sats) -> {
            if (sats < 1) {
                throw new ConfigException("pricing." + model + " must be at least 1 sat, got " + sats);
            }
        });
        try {
            ServerConfig server = new ServerConfig(
                    new ServerConfig.Listening(s.string(SERVER_HOST), s.integer(SERVER_PORT),
                            ConfigParsing.uri(s, SERVER_PUBLIC_URL).orElse(null), s.list(SERVER_CORS_ORIGINS),
                            s.bool(SERVER_TRUST_PROXY), s.integer(SERVER_PROXY_HOPS), s.list(SERVER_ALLOWED_HOSTS)),
                    new ServerConfig.ConnectionLimits(s.integer(LIMITS_REQUESTS_PER_ADDRESS), s.integer(LIMITS_MAX_CONNECTIONS),
                            s.bytes(LIMITS_MIN_UPLOAD_RATE), s.duration(LIMITS_IDLE_TIMEOUT)),
                    new ServerConfig.TokenPolicy(s.duration(TOKENS_INVOICE_EXPIRY), s.duration(TOKENS_REDEEM_WINDOW),
                            s.duration(TOKENS_KEY_ROTATION)),
                    payments(s),
                    new ServerConfig.UnpaidLimits(base.limits(), s.integer(LIMITS_CHALLENGES_PER_MINUTE),
                            s.integer(LIMITS_CHALLENGE_BURST), s.integer(LIMITS_UNPAID_DECODERS) == 0
                                    ? ServerConfig.UnpaidLimits.defaultDecoders() : s.integer(LIMITS_UNPAID_DECODERS),
                            s.duration(LIMITS_UNPAID_DECODE_TIME)),
                    new ServerConfig.JobPolicy(s.duration(JOBS_LEASE), s.integer(JOBS_WORKERS),
                            s.integer(JOBS_MAX_PER_ADDRESS), s.integer(JOBS_MAX_QUEUED), s.bytes(JOBS_MEMORY_BUDGET)),
                    new ServerConfig.ResultPolicy(s.duration(RESULTS_RETENTION), delivery(s)),
                    new ServerConfig.Operations(s.bool(LOGGING_ACCESS), s.duration(SERVER_SHUTDOWN_GRACE)));
            String url = s.get(DATABASE_URL)
                    .orElse("jdbc:sqlite:" + base.dataDir().resolve("chroma402.db").toAbsolutePath());
            DatabaseConfig database = new DatabaseConfig(url, s.get(DATABASE_USERNAME).orElse(null),
                    s.get(DATABASE_PASSWORD).orElse(null), s.integer(DATABASE_MAX_POOL_SIZE));
            return new ServeConfig(server, database, prices, s.path(RESULTS_DIR, base.dataDir().resolve("results")),
                    base.dataDir().resolve("inputs"), s3(s, server.results().delivery()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static ServerConfig.ResultPolicy.Delivery delivery(Settings s) {
        return switch (s.string(RESULTS_DELIVERY).toLowerCase(Locale.ROOT)) {
            case "proxy" -> ServerConfig.ResultPolicy.Delivery.PROXY;
            case "redirect" -> ServerConfig.ResultPolicy.Delivery.REDIRECT;
            default -> throw new ConfigException("results.delivery must be proxy or redirect, got '"
                    + s.string(RESULTS_DELIVERY) + "'");
        };
    }

    private static S3Settings s3(Settings s, ServerConfig.ResultPolicy.Delivery delivery) {
        String store = s.string(RESULTS_STORE).toLowerCase(Locale.ROOT);
        switch (store) {
            case "local" -> {
                if (delivery == ServerConfig.ResultPolicy.Delivery.REDIRECT) {
                    throw new ConfigException("results.delivery: redirect needs results.store: s3 (a local directory has no presigned URLs)");
                }
                return null;
            }
            case "s3" -> {
                if (s.get(RESULTS_S3_BUCKET).isEmpty()) {
                    throw new ConfigException("results.store: s3 needs results.s3.bucket");
                }
                return new S3Settings(ConfigParsing.uri(s, RESULTS_S3_ENDPOINT).orElse(null), s.string(RESULTS_S3_REGION),
                        s.string(RESULTS_S3_BUCKET), s.get(RESULTS_S3_PREFIX).orElse(""),
                        s.get(RESULTS_S3_ACCESS_KEY).orElse(null), s.get(RESULTS_S3_SECRET_KEY).orElse(null),
                        s.bool(RESULTS_S3_PATH_STYLE));
            }
            default -> throw new ConfigException("results.store must be local or s3, got '" + s.string(RESULTS_STORE) + "'");
        }
    }

    private static ServerConfig.Payments payments(Settings s) {
        List<String> schemes = s.list(PAYMENTS_SCHEMES).stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
        for (String scheme : schemes) {
            if (!scheme.equals("l402") && !scheme.equals("payment") && !scheme.equals("x402")) {
                throw new ConfigException("payments.schemes: unknown scheme '" + scheme + "'; use l402, payment, x402 or several");
            }
        }
        String header = s.string(PAYMENTS_L402_HEADER).toLowerCase(Locale.ROOT);
        ServerConfig.Payments.L402Header form = switch (header) {
            case "classic" -> ServerConfig.Payments.L402Header.CLASSIC;
            case "versioned" -> ServerConfig.Payments.L402Header.VERSIONED;
            case "both" -> ServerConfig.Payments.L402Header.BOTH;
            default -> throw new ConfigException("payments.l402-header must be classic, versioned or both, got '" + header + "'");
        };
        return new ServerConfig.Payments(schemes.contains("l402"), schemes.contains("payment"), form, schemes.contains("x402"));
    }
}
