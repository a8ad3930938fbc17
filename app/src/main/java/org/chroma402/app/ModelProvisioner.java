package org.chroma402.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.model.CheckpointInstaller;
import org.chroma402.colorize.model.DdcolorGraph;
import org.chroma402.colorize.model.ModelCatalog;
import org.chroma402.colorize.model.ModelDownloadException;
import org.chroma402.colorize.model.ModelOrigin;
import org.chroma402.colorize.model.ModelPuller;
import org.chroma402.colorize.model.ModelSpec;
import org.chroma402.colorize.pipeline.ColorizationPipeline;
import org.chroma402.server.jobs.ModelRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the models on sale in step with the models directory while the server runs: loads what
 * is installed, pulls what is missing when {@code models.auto-pull} is on (one at a time, the
 * default model first), and picks up models installed from the command line without a restart.
 * While a model is unavailable its listing says why, in words safe to show to clients; the log
 * has the details and the command that fixes it.
 */
public final class ModelProvisioner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelProvisioner.class);

    /** Builds the pipeline for an installed model. */
    @FunctionalInterface
    interface Loader {
        ColorizationPipeline load(String name) throws ColorizationException;
    }

    /** Where a pull reports its progress (a progress bar on the console). */
    @FunctionalInterface
    public interface ProgressSink {
        ModelPuller.Progress forModel(String name);
    }

    private final ModelCatalog catalog;
    private final ModelRegistry registry;
    private final List<String> names;
    private final Loader loader;
    private final ModelPuller puller;
    private final List<String> autoPull;
    private final Set<String> optional;
    private final ProgressSink progress;
    private final Set<String> pulling = ConcurrentHashMap.newKeySet();
    /** The files' state at the last failed load, so a broken install is not retried until it changes. */
    private final Map<String, String> failedAt = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "model-scan"));
    private final ExecutorService pulls = Executors.newSingleThreadExecutor(r -> daemon(r, "model-pull"));

    /**
     * @param names every model on sale, in the order to pull them
     * @param autoPull the missing ones to download (empty when {@code models.auto-pull} is off)
     * @param optional extras listed only once installed, whose absence is normal
     */
    ModelProvisioner(ModelCatalog catalog, ModelRegistry registry, List<String> names, Loader loader, ModelPuller puller,
            List<String> autoPull, Set<String> optional, ProgressSink progress) {
        this.optional = Set.copyOf(optional);
        this.catalog = catalog;
        this.registry = registry;
        this.names = List.copyOf(names);
        this.loader = loader;
        this.puller = puller;
        this.autoPull = List.copyOf(autoPull);
        this.progress = progress;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Loads every installed model now and says, for each missing one, what will happen or what to run. */
    void loadInstalled() {
        for (String name : names) {
            if (!tryLoad(name)) {
                ModelSpec spec = catalog.spec(name).orElse(null);
                boolean willPull = autoPull.contains(name) && spec != null && spec.url() != null;
                if (willPull) {
                    registry.unavailable(name, "being downloaded: waiting to start");
                    log.info("model {} is not installed; downloading it from {} (models.auto-pull)", name, spec.url());
                } else if (!Files.exists(file(name)) && optional.contains(name)) {
                    // An extra the operator has not asked for: listed once installed, nothing to warn about.
                    log.debug("optional model {} is not installed; {}", name, howToInstall(spec, name));
                } else if (!Files.exists(file(name))) {
                    registry.unavailable(name, "not installed on this server yet");
                    log.warn("model {} is not installed; {}", name, howToInstall(spec, name));
                }
            }
        }
    }

    /** Starts the pulls and the watch for models installed from elsewhere. */
    void start() {
        for (String name : autoPull) {
            if (registry.pipeline(name).isEmpty() && catalog.spec(name).map(s -> s.url() != null).orElse(false)) {
                pulling.add(name);
                pulls.submit(() -> pull(name));
            }
        }
        scanner.scheduleWithFixedDelay(this::scan, 2, 2, TimeUnit.SECONDS);
    }

    private void pull(String name) {
        ModelSpec spec = catalog.spec(name).orElseThrow();
        ModelPuller.Progress bar = progress.forModel(name);
        try {
            if (!tryLoad(name)) {
                long[] lastPercent = {-1};
                puller.pull(spec, (phase, done, total) -> {
                    bar.update(phase, done, total);
                    long percent = total > 0 ? 100 * done / total : -1;
                    if (percent != lastPercent[0]) {
                        lastPercent[0] = percent;
                        registry.unavailable(name, describe(phase, done, total));
                    }
                });
                registry.unavailable(name, "loading");
                if (tryLoad(name)) {
                    log.info("model {} was downloaded and installed, and is on sale", name);
                }
            }
        } catch (ModelDownloadException | IOException e) {
            registry.unavailable(name, "not installed: its download failed (the operator's log says why)");
            log.error("pulling model {} failed: {}", name, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            registry.unavailable(name, "not installed: its download failed (the operator's log says why)");
            log.error("pulling model {} failed", name, e);
        } finally {
            pulling.remove(name);
        }
    }

    private static String describe(ModelPuller.Phase phase, long done, long total) {
        String amount = total > 0 ? String.format(Locale.ROOT, "%d %% of %d MB", 100 * done / total, total >> 20)
                : (done >> 20) + " MB so far";
        return phase == ModelPuller.Phase.DOWNLOADING ? "being downloaded: " + amount
                : "being installed: converting the official checkpoint, " + amount;
    }

    /** Loads models that were installed (or repaired) since the last look. */
    private void scan() {
        for (String name : names) {
            if (registry.pipeline(name).isEmpty() && !pulling.contains(name) && Files.exists(file(name))) {
                if (tryLoad(name)) {
                    log.info("model {} was installed while the server runs, and is on sale", name);
                }
            }
        }
    }

    /** Loads one model if its files are there and changed since the last failure; true when it is on sale. */
    private synchronized boolean tryLoad(String name) {
        if (registry.pipeline(name).isPresent()) {
            return true;
        }
        Path file = file(name);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        String state = state(file);
        if (state.equals(failedAt.get(name))) {
            return false;
        }
        String problem = checkInstalled(file, catalog.spec(name).orElse(null));
        if (problem == null) {
            try {
                ColorizationPipeline pipeline = loader.load(name);
                ModelSpec spec = catalog.spec(name).orElse(null);
                ModelOrigin origin = origin(file);
                boolean installed = spec == null || origin == null ? registry.install(name, pipeline)
                        : registry.install(name, pipeline, origin.description(spec), origin.official());
                if (!installed) {
                    pipeline.engine().close();
                } else if (spec != null && origin != null) {
                    origin.warning(spec).ifPresent(log::warn);
                }
                failedAt.remove(name);
                return true;
            } catch (ColorizationException | RuntimeException e) {
                problem = e.getMessage();
            }
        }
        failedAt.put(name, state);
        registry.unavailable(name, "installed, but its files cannot be used (the operator's log says why)");
        log.error("model {} is installed at {} but cannot be used: {}; reinstall it ({})", name, file.getParent(), problem,
                howToInstall(catalog.spec(name).orElse(null), name));
        return false;
    }

    /**
     * What is wrong with an installed checkpoint model that loading would report obscurely or not
     * at all: an unfinished install, a truncated weights file, or weights downloaded from a file
     * whose digest is not the one pinned now (the operator changed the pin: the install is not it).
     */
    public static String checkInstalled(Path graph, ModelSpec spec) {
        if (!graph.getFileName().toString().equals(CheckpointInstaller.GRAPH_FILE)) {
            return null;
        }
        try {
            CheckpointInstaller.Record installed = CheckpointInstaller.Record.of(graph).orElse(null);
            if (installed == null) {
                return "it has no " + CheckpointInstaller.RECORD_FILE + " (an install that did not finish?)";
            }
            if (spec != null && spec.sha256() != null && !spec.sha256().equals(installed.checkpointSha256()) && installed.downloaded()) {
                return "it was downloaded from a file with SHA-256 " + installed.checkpointSha256() + ", not the pinned "
                        + spec.sha256() + " (models." + spec.name() + ".sha256)";
            }
            DdcolorGraph expected = DdcolorGraph.of(installed.architecture());
            Path weights = graph.resolveSibling(CheckpointInstaller.WEIGHTS_FILE);
            long size = Files.isRegularFile(weights) ? Files.size(weights) : -1;
            if (size != expected.weightsBytes()) {
                return size < 0 ? "its weights file is missing"
                        : "its weights file is truncated (" + size + " of " + expected.weightsBytes() + " bytes)";
            }
            return null;
        } catch (IOException e) {
            return "its install record cannot be read: " + e.getMessage();
        }
    }

    /** Where a loaded model's weights come from; null (not claimed either way) when its record cannot be read. */
    private static ModelOrigin origin(Path file) {
        try {
            return ModelOrigin.of(file);
        } catch (IOException e) {
            log.warn("cannot read where model {} comes from: {}", file, e.getMessage());
            return null;
        }
    }

    private static String state(Path file) {
        try {
            Path record = file.resolveSibling(CheckpointInstaller.RECORD_FILE);
            return Files.getLastModifiedTime(file) + "/" + Files.size(file)
                    + (Files.exists(record) ? "/" + Files.getLastModifiedTime(record) : "");
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private Path file(String name) {
        return catalog.spec(name).map(catalog::file).orElse(catalog.directory().resolve(name + ".onnx"));
    }

    /** The commands that install a model, without suggesting a pull that has no URL to pull from. */
    static String howToInstall(ModelSpec spec, String name) {
        String importIt = "'chroma402 models import " + name + " FILE' installs a file you have";
        if (spec == null || spec.url() == null) {
            return importIt + " (models." + name + ".url is not set, so there is nothing to pull)";
        }
        return "run 'chroma402 models pull " + name + "' (downloads " + spec.url() + "), or " + importIt;
    }

    @Override
    public void close() {
        scanner.shutdownNow();
        pulls.shutdownNow();
    }
}
