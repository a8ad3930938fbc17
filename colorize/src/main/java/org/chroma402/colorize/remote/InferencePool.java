package org.chroma402.colorize.remote;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.chroma402.colorize.pipeline.ModelInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference servers of one model and what is known of each: probed every
 * {@link #PROBE_EVERY}, so servers that start late, die, or come back are picked up without a
 * restart, in whatever order a fleet comes up. A server is used only once it is ready and its model
 * metadata has been checked ({@link RemoteModelRunner#check}) and matches the first one seen; the
 * model is known ({@link #model}) from the first server that answers with good metadata.
 *
 * <p>Reasons are kept per server without its address ({@link #whyNotReady}, for clients and
 * {@code /readyz}); {@link #problems} and the log name the servers, for the operator.
 */
public final class InferencePool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InferencePool.class);
    /** How often every server's readiness is asked; the README promises this figure. */
    public static final Duration PROBE_EVERY = Duration.ofSeconds(2);
    private static final String NOT_PROBED = "not asked yet";

    private final List<InferenceServer> servers;
    private final Consumer<InferencePool> afterProbe;
    /** Why each unusable server is so; a server absent here and in {@link #checked} is usable. */
    private final Map<InferenceServer, String> down = new ConcurrentHashMap<>();
    /** Servers whose metadata matched the model; the others are not sent runs. */
    private final Set<InferenceServer> checked = ConcurrentHashMap.newKeySet();
    private volatile ModelInfo model;
    private volatile ScheduledExecutorService prober;

    /**
     * @param servers the servers of one model, in the configured order
     * @param afterProbe told after each probe round (on the probing thread), e.g. to put the model on sale once known
     */
    public InferencePool(List<InferenceServer> servers, Consumer<InferencePool> afterProbe) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no inference server is configured");
        }
        this.servers = List.copyOf(servers);
        this.afterProbe = afterProbe;
        this.servers.forEach(s -> down.put(s, NOT_PROBED));
    }

    /** Probes every server once, on the caller's thread, then every {@link #PROBE_EVERY} on a daemon thread. */
    public synchronized InferencePool start() {
        if (prober == null) {
            probe();
            prober = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "inference-server-probe");
                t.setDaemon(true);
                return t;
            });
            prober.scheduleWithFixedDelay(this::probeQuietly, PROBE_EVERY.toMillis(), PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** The model as the servers describe it, once one has answered with good metadata. */
    public Optional<ModelInfo> model() {
        return Optional.ofNullable(model);
    }

    public List<InferenceServer> servers() {
        return servers;
    }

    /** Whether a run could start now: some server is checked and ready. */
    public boolean isReady() {
        return servers.stream().anyMatch(this::usable);
    }

    /** Why no run could start now, without the servers' addresses; empty when one could. */
    public Optional<String> whyNotReady() {
        if (isReady()) {
            return Optional.empty();
        }
        if (servers.size() == 1) {
            return Optional.of("no inference server is ready: " + reason(servers.get(0)));
        }
        List<String> each = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            each.add("server " + (i + 1) + ": " + reason(servers.get(i)));
        }
        return Optional.of("no inference server is ready (" + String.join("; ", each) + ")");
    }

    /** Each server that cannot be used, with its address and why: for logs and the command line. */
    public String problems() {
        List<String> each = new ArrayList<>();
        for (InferenceServer s : servers) {
            if (!usable(s)) {
                each.add(s + ": " + reason(s));
            }
        }
        return String.join("; ", each);
    }

    private boolean usable(InferenceServer server) {
        return checked.contains(server) && !down.containsKey(server);
    }

    private String reason(InferenceServer server) {
        return down.getOrDefault(server, NOT_PROBED);
    }

    /** The least busy usable server not yet tried, or null. */
    InferenceServer pick(List<InferenceServer> tried) {
        return servers.stream().filter(s -> !tried.contains(s)).filter(this::usable)
                .min(Comparator.comparingInt(InferenceServer::inFlight)).orElse(null);
    }

    /** A run failed on this server: it is skipped until a probe finds it ready again. */
    void failed(InferenceServer server, String why) {
        markDown(server, why);
    }

    private void probeQuietly() {
        try {
            probe();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: the pool would go blind.
            log.error("probing the inference servers failed", e);
        }
    }

    /** One round: each server's readiness, and its metadata the first time it is ready. */
    synchronized void probe() {
        for (InferenceServer server : servers) {
            Optional<String> problem = server.readiness();
            if (problem.isEmpty() && !checked.contains(server)) {
                problem = admit(server);
            }
            if (problem.isPresent()) {
                markDown(server, problem.get());
            } else if (down.remove(server) != null) {
                log.info("inference server {} is ready", server);
            }
        }
        afterProbe.accept(this);
    }

    /** Checks a newly ready server's metadata against the model; why it cannot be used, if it cannot. */
    private Optional<String> admit(InferenceServer server) {
        try {
            ModelInfo theirs = RemoteModelRunner.check(server.metadata());
            if (model == null) {
                model = theirs;
            } else if (!sameShape(model, theirs)) {
                return Optional.of("serves " + theirs + ", but the other servers serve " + model);
            }
            checked.add(server);
            return Optional.empty();
        } catch (IOException | OipFormatException e) {
            return Optional.of(e.getMessage());
        }
    }

    private void markDown(InferenceServer server, String why) {
        String before = down.put(server, why);
        if (before == null || (before.equals(NOT_PROBED) && !why.equals(NOT_PROBED))) {
            log.warn("inference server {} is not ready: {}", server, why);
        } else if (!before.equals(why)) {
            log.info("inference server {} is still not ready: {}", server, why);
        }
    }

    private static boolean sameShape(ModelInfo a, ModelInfo b) {
        return a.inputName().equals(b.inputName()) && a.outputName().equals(b.outputName()) && a.inputSize() == b.inputSize()
                && a.dynamicBatch() == b.dynamicBatch();
    }

    @Override
    public void close() {
        if (prober != null) {
            prober.shutdownNow();
        }
    }
}
