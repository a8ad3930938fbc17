package org.chroma402.server;

import io.javalin.Javalin;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.chroma402.server.api.Routes;
import org.chroma402.server.jobs.JobService;
import org.chroma402.server.jobs.ModelRegistry;
import org.chroma402.server.wiring.ServerParts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Chroma402 HTTP server: the L402-gated colorization API, its free endpoints and the web
 * page, over parts built elsewhere ({@link ServerParts#assemble}). It starts and stops them, and
 * closes what it was given (database, models) when it stops.
 */
public final class Chroma402Server implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Chroma402Server.class);

    private final ServerParts parts;
    private final ScheduledExecutorService housekeeping;
    private final Javalin app;
    private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();

    public Chroma402Server(ServerParts parts) {
        this.parts = parts;
        this.app = Routes.create(parts, draining::get);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "housekeeping");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the jobs, the chores and the listener; returns the port (useful when the configured port is 0). */
    public int start() {
        parts.jobs().start(parts.resources().database().isSqlite());
        housekeeping.scheduleWithFixedDelay(parts.sweeper(), 10, 60, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(parts.keyRotation(), 0, 1, TimeUnit.HOURS);
        housekeeping.scheduleWithFixedDelay(parts.lightningProbe(), 0, 30, TimeUnit.SECONDS);
        app.start();
        ModelRegistry models = parts.resources().models();
        log.info("Chroma402 listening on http://{}:{} (Lightning backend: {}; models: {})", parts.config().listening().host(),
                app.port(), parts.resources().backend().name(), models.listings().stream()
                        .map(l -> l.name() + (l.available() ? "" : " (unavailable: " + l.unavailableReason() + ")")).toList());
        return app.port();
    }

    /** Runs one sweep of expired results and challenges now, instead of waiting for the next one. */
    public void sweepNow() {
        parts.sweeper().run();
    }

    public int port() {
        return app.port();
    }

    public ServerParts parts() {
        return parts;
    }

    /**
     * Stops gracefully: new API requests get a 503 and {@code /readyz} says "stopping"; running
     * paid jobs may finish (and their waiting clients get the result) within
     * {@code server.shutdown-grace}; what is still running then is handed back to the database for
     * another replica or the next start. Then the listener and everything else stop.
     */
    @Override
    public void close() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        java.time.Duration grace = parts.config().operations().shutdownGrace();
        int running = parts.jobs().running();
        if (running > 0) {
            log.info("stopping: {} paid job(s) running, waiting up to {} s for them", running, grace.toSeconds());
        }
        JobService.Drained drained = parts.jobs().drain(grace);
        app.stop();
        housekeeping.shutdownNow();
        parts.watcher().close();
        parts.jobs().close();
        parts.resources().models().close();
        parts.resources().database().close();
        parts.metrics().close();
        log.info("stopped in {} ms: {} paid job(s) finished while stopping, {} handed back for the next start",
                (System.nanoTime() - t0) / 1_000_000, drained.finished(), drained.handedBack());
    }
}
