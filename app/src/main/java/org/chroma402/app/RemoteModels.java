package org.chroma402.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.chroma402.colorize.pipeline.ColorizationPipeline;
import org.chroma402.colorize.pipeline.ModelInfo;
import org.chroma402.colorize.remote.InferencePool;
import org.chroma402.colorize.remote.InferenceServer;
import org.chroma402.colorize.remote.RemoteModelRunner;
import org.chroma402.server.jobs.ModelRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a front-end runs on inference servers ({@code engine.remote.urls}): each is offered
 * at start and goes on sale as soon as one of its servers answers with good metadata, whenever that
 * is. Compose and Kubernetes start a fleet in no particular order, so a front-end that comes up
 * before its workers (or while they load their models) must not give up on them. Until then the
 * listing says why in words; afterwards the pool's probes keep {@code /readyz} and the listing in
 * step with the servers (see {@link ModelRegistry}).
 */
public final class RemoteModels implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RemoteModels.class);

    /** Builds the pipeline of a model once its servers have described it. */
    @FunctionalInterface
    interface Installer {
        ColorizationPipeline pipeline(String name, RemoteModelRunner runner);
    }

    private final ModelRegistry registry;
    private final Installer installer;
    private final Map<String, InferencePool> pools = new ConcurrentHashMap<>();
    private final Set<String> installed = ConcurrentHashMap.newKeySet();

    RemoteModels(ModelRegistry registry, Installer installer) {
        this.registry = registry;
        this.installer = installer;
    }

    /**
     * Starts probing one offered model's servers: the first round now, so a fleet started in order
     * sells at once, then every {@link InferencePool#PROBE_EVERY}.
     */
    void watch(String name, List<InferenceServer> servers) {
        InferencePool pool = new InferencePool(servers, p -> update(name, p));
        pools.put(name, pool);
        pool.start();
        if (pool.model().isEmpty()) {
            log.warn("model {} is not available yet; it goes on sale once an inference server answers with it: {}", name,
                    pool.problems());
        }
    }

    /** After each probe round: the reason while the model is unknown, the pipeline once it is known. */
    private void update(String name, InferencePool pool) {
        Optional<ModelInfo> info = pool.model();
        if (info.isEmpty()) {
            registry.unavailable(name, pool.whyNotReady().orElse("no inference server is ready"));
        } else if (installed.add(name)) {
            registry.install(name, installer.pipeline(name, new RemoteModelRunner(pool, info.get())));
            log.info("model {} is on sale: it runs on {} inference server(s) {}", name, pool.servers().size(),
                    pool.servers().stream().map(InferenceServer::base).toList());
        }
    }

    @Override
    public void close() {
        pools.values().forEach(InferencePool::close);
    }
}
