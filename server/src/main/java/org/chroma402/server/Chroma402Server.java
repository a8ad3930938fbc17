package org.chroma402.server;

import io.javalin.Javalin;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageEncoder;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.lightning.SettlementWatcher;
import org.chroma402.server.api.Routes;
import org.chroma402.server.jobs.JobService;
import org.chroma402.server.jobs.ModelRegistry;
import org.chroma402.server.l402.ChallengeIssuer;
import org.chroma402.server.l402.TokenVerifier;
import org.chroma402.server.metrics.ServerMetrics;
import org.chroma402.server.persistence.Database;
import org.chroma402.server.persistence.JdbcChallengeStore;
import org.chroma402.server.persistence.JdbcJobStore;
import org.chroma402.server.persistence.JdbcRootKeyStore;
import org.chroma402.server.results.ResultSweeper;
import org.chroma402.server.results.ResultStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Chroma402 HTTP server: the L402-gated colorization API, its free endpoints and the web
 * page. It owns what it builds from the parts it is given (database, Lightning backend, models,
 * result storage) and closes them when it stops.
 */
public final class Chroma402Server implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Chroma402Server.class);

    private final ServerConfig config;
    private final Database database;
    private final InvoiceBackend backend;
    private final ModelRegistry models;
    private final JobService jobs;
    private final SettlementWatcher watcher;
    private final ScheduledExecutorService housekeeping;
    private final Javalin app;
    private final JdbcRootKeyStore keys;
    private final ResultSweeper sweeper;

    public Chroma402Server(ServerConfig config, Database database, InvoiceBackend backend, PaymentBackend devWallet,
            ModelRegistry models, ResultStore results, ResultStore inputs, Clock clock, SecureRandom random) {
        this.config = config;
        this.database = database;
        this.backend = backend;
        this.models = models;
        ServerMetrics metrics = new ServerMetrics();
        JdbcJobStore jobStore = new JdbcJobStore(database);
        JdbcChallengeStore challenges = new JdbcChallengeStore(database);
        this.keys = new JdbcRootKeyStore(database, clock, random);
        ImageEncoder encoder = new ImageEncoder();
        this.jobs = new JobService(jobStore, results, inputs, models, encoder, clock, random, config.jobLease(),
                config.resultRetention(), config.jobWorkers(), metrics);
        this.watcher = new SettlementWatcher(backend, clock, Duration.ofSeconds(1), Duration.ofSeconds(15));
        TokenVerifier verifier = new TokenVerifier(challenges, keys, clock);
        ChallengeIssuer issuer = new ChallengeIssuer(backend, keys, challenges, clock, random, config.invoiceExpiry(),
                config.redeemWindow());
        for (ModelRegistry.Listing listing : models.listings()) {
            models.pipeline(listing.name()).ifPresent(p -> metrics.queueDepth(listing.name(), p.engine()::queued));
        }
        this.app = Routes.create(config, models, verifier, issuer, jobs, watcher, devWallet, results, database,
                backend, new ImageDecoder(config.limits()), encoder, metrics, clock);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "housekeeping");
            t.setDaemon(true);
            return t;
        });
        Duration challengeRetention = config.invoiceExpiry().plus(config.redeemWindow()).plus(config.resultRetention());
        this.sweeper = new ResultSweeper(jobStore, results, challenges, clock, challengeRetention);
        housekeeping.scheduleWithFixedDelay(sweeper, 10, 60, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(() -> rotateKeyIfDue(clock), 0, 1, TimeUnit.HOURS);
    }

    /** Starts listening; returns the port (useful when the configured port is 0). */
    public int start() {
        jobs.start(database.isSqlite());
        app.start();
        log.info("Chroma402 listening on http://{}:{} (Lightning backend: {}; models: {})", config.host(), app.port(),
                backend.name(), models.listings().stream()
                        .map(l -> l.name() + (l.available() ? "" : " (unavailable: " + l.unavailableReason() + ")")).toList());
        return app.port();
    }

    /** Runs one sweep of expired results and challenges now, instead of waiting for the next one. */
    public void sweepNow() {
        sweeper.run();
    }

    public int port() {
        return app.port();
    }

    private void rotateKeyIfDue(Clock clock) {
        try {
            String current = keys.currentKeyId();
            keys.list().stream().filter(k -> k.id().equals(current)).findFirst().ifPresent(k -> {
                if (k.createdAt().plus(config.keyRotation()).isBefore(clock.instant())) {
                    String next = keys.rotate();
                    log.info("rotated the L402 root key: new tokens use key {}", next);
                }
            });
            // Keys older than rotation + every token's lifetime can no longer have live tokens.
            Duration lifetime = config.keyRotation().plus(config.invoiceExpiry()).plus(config.redeemWindow())
                    .plus(config.resultRetention());
            for (var k : keys.list()) {
                if (k.active() && !k.id().equals(keys.currentKeyId()) && k.createdAt().plus(lifetime).isBefore(clock.instant())) {
                    keys.retire(k.id());
                    log.info("retired L402 root key {}", k.id());
                }
            }
        } catch (RuntimeException e) {
            log.warn("root key rotation check failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        app.stop();
        housekeeping.shutdownNow();
        watcher.close();
        jobs.close();
        models.close();
        database.close();
    }
}
