package org.chroma402.server.wiring;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.chroma402.lightning.InvoiceState;
import org.chroma402.lightning.SettlementWatcher;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.gate.ChallengeIssuer;
import org.chroma402.server.gate.ChallengeRateLimiter;
import org.chroma402.server.gate.ChallengeStore;
import org.chroma402.server.gate.KeyRotation;
import org.chroma402.server.gate.L402Gate;
import org.chroma402.server.gate.PaidBacklog;
import org.chroma402.server.gate.PaymentGate;
import org.chroma402.server.gate.RootKeyStore;
import org.chroma402.server.gate.TokenVerifier;
import org.chroma402.server.jobs.ExpirySweeper;
import org.chroma402.server.jobs.JobService;
import org.chroma402.server.jobs.MemoryBudget;
import org.chroma402.server.jobs.JobStore;
import org.chroma402.server.jobs.ModelRegistry;
import org.chroma402.server.metrics.HealthProbe;
import org.chroma402.server.metrics.ServerMetrics;
import org.chroma402.server.persistence.Database;
import org.chroma402.server.persistence.JdbcChallengeStore;
import org.chroma402.server.persistence.JdbcJobStore;
import org.chroma402.server.persistence.JdbcRootKeyStore;

/**
 * Every part of a running server, built once from its {@link ServerResources} by
 * {@link #assemble}: the stores over the database, the L402 gate, the job service, the
 * settlement watcher and the periodic chores. {@code app}'s {@code Assembly} and the tests'
 * fixture both call {@code assemble}, so the graph they run is the same one.
 */
public record ServerParts(ServerResources resources, ServerMetrics metrics, JobStore jobStore,
        ChallengeStore challenges, RootKeyStore keys, PaymentGate gate, JobService jobs, SettlementWatcher watcher,
        ExpirySweeper sweeper, KeyRotation keyRotation, HealthProbe lightningProbe) {

    /** Builds the parts; nothing is started until the server starts. */
    public static ServerParts assemble(ServerResources r) {
        ServerConfig config = r.config();
        ServerMetrics metrics = new ServerMetrics(r.build());
        JdbcJobStore jobStore = new JdbcJobStore(r.database());
        JdbcChallengeStore challenges = new JdbcChallengeStore(r.database());
        RootKeyStore keys = rootKeys(r.database(), r.clock(), r.random());
        ServerConfig.TokenPolicy tokens = config.tokens();
        PaidBacklog backlog = new PaidBacklog(r.clock(), config.jobs().maxPerAddress(), config.jobs().maxQueued());
        PaymentGate gate = new L402Gate(new TokenVerifier(challenges, keys, r.clock(),
                        hash -> r.backend().lookupInvoice(hash) instanceof InvoiceState.Paid, config.payments()),
                new ChallengeIssuer(r.backend(), keys, challenges, r.clock(), r.random(), tokens.invoiceExpiry(),
                        tokens.redeemWindow(), metrics::challengeStage),
                new ChallengeRateLimiter(r.clock(), config.limits().challengesPerMinute(), config.limits().challengeBurst()),
                r.models()::isSaturated, config.limits().unpaidDecoders(), r::storageProblem, backlog);
        JobService jobs = new JobService(jobStore, r.results(), r.inputs(), r.models(), r.clock(), r.random(),
                config.jobs().lease(), config.results().retention(), config.jobs().workers(), metrics, backlog,
                config.jobs().memoryBudget() > 0 ? new MemoryBudget(config.jobs().memoryBudget()) : MemoryBudget.ofMaxHeap());
        SettlementWatcher watcher = new SettlementWatcher(r.backend(), r.clock(), Duration.ofSeconds(1),
                Duration.ofSeconds(15));
        ExpirySweeper sweeper = new ExpirySweeper(jobStore, r.results(), challenges, r.clock(), config.challengeRetention());
        KeyRotation rotation = new KeyRotation(keys, r.clock(), tokens.keyRotation(), config.challengeRetention());
        // Read at each scrape: models become available while the server runs.
        for (String name : r.models().allNames()) {
            metrics.queueDepth(name, () -> r.models().pipeline(name).map(p -> p.engine().queued()).orElse(0));
            metrics.up("chroma402_model_up", "1 when the model is loaded and can be sold",
                    () -> r.models().listing(name).map(ModelRegistry.Listing::available).orElse(false), "model", name);
        }
        HealthProbe lightning = new HealthProbe(r.backend()::checkHealth);
        metrics.up("chroma402_lightning_up", "1 when the Lightning backend answered its last health check", lightning::isUp,
                "backend", r.backend().name());
        metrics.up("chroma402_database_up", "1 when the database answers", r.database()::isHealthy);
        metrics.up("chroma402_storage_up", "1 when the result store answers", () -> r.storageProblem().isEmpty());
        return new ServerParts(r, metrics, jobStore, challenges, keys, gate, jobs, watcher, sweeper, rotation, lightning);
    }

    /** The root keys kept in a database: the server's, and those the {@code keys} command manages. */
    public static RootKeyStore rootKeys(Database database, Clock clock, SecureRandom random) {
        return new JdbcRootKeyStore(database, clock, random);
    }

    public ServerConfig config() {
        return resources.config();
    }
}
