package org.chroma402.app;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.app.config.ConfigException;
import org.chroma402.app.config.RemoteInference;
import org.chroma402.app.config.ServeConfig;
import org.chroma402.app.config.SettingRegistry;
import org.chroma402.app.config.Settings;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.checkpoint.CheckpointLimits;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageEncoder;
import org.chroma402.colorize.model.CheckpointInstaller;
import org.chroma402.colorize.model.Int8Models;
import org.chroma402.colorize.model.ModelDownloader;
import org.chroma402.colorize.model.ModelFileCheck;
import org.chroma402.colorize.model.ModelPuller;
import org.chroma402.colorize.model.ModelSpec;
import org.chroma402.colorize.model.Precision;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.colorize.pipeline.ColorizationPipeline;
import org.chroma402.colorize.pipeline.EngineSettings;
import org.chroma402.colorize.pipeline.ModelSession;
import org.chroma402.colorize.remote.InferenceServer;
import org.chroma402.colorize.remote.RemoteModelRunner;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.server.Chroma402Server;
import org.chroma402.server.gate.RootKeyStore;
import org.chroma402.server.jobs.ModelRegistry;
import org.chroma402.server.metrics.BuildInfo;
import org.chroma402.server.persistence.Database;
import org.chroma402.server.storage.BlobStore;
import org.chroma402.server.storage.FileBlobStore;
import org.chroma402.server.storage.S3BlobStore;
import org.chroma402.server.storage.S3Settings;
import org.chroma402.server.wiring.ServerParts;
import org.chroma402.server.wiring.ServerResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Chroma402 is wired together: every component is built here, by constructor, from the
 * configuration. No container, no singletons.
 */
public final class Assembly {
    private static final Logger log = LoggerFactory.getLogger(Assembly.class);

    private Assembly() {
    }

    /**
     * A built server and what it owns: its Lightning backend's connections, the data directory's
     * lock, and what keeps its models on sale (local files, or inference servers; either may be null).
     */
    public record Service(Chroma402Server server, InvoiceBackend backend, FileLock dataLock, ModelProvisioner provisioner,
            RemoteModels remoteModels) implements AutoCloseable {

        /** Starts listening, then the model pulls and the watch for newly installed models; the port it listens on. */
        public int start() {
            int port = server.start();
            if (provisioner != null) {
                provisioner.start();
            }
            return port;
        }

        @Override
        public void close() {
            if (provisioner != null) {
                provisioner.close();
            }
            if (remoteModels != null) {
                remoteModels.close();
            }
            server.close();
            if (backend instanceof AutoCloseable connections) {
                try {
                    connections.close();
                } catch (Exception e) {
                    log.debug("closing the Lightning backend: {}", e.getMessage());
                }
            }
            try {
                dataLock.release();
                dataLock.channel().close();
            } catch (IOException e) {
                // The process is ending.
            }
        }
    }

    /** Builds the whole server from the configuration; the caller starts it. */
    public static Service server(Settings settings) throws IOException {
        return server(settings, Assembly::logProgress);
    }

    /** Pull progress as log lines, every tenth of the way. */
    private static ModelPuller.Progress logProgress(String name) {
        long[] last = {-1};
        return (phase, done, total) -> {
            long tenth = total > 0 ? 10 * done / total : -1;
            if (tenth != last[0]) {
                last[0] = tenth;
                log.info("model {}: {} {} of {} MB", name, phase.name().toLowerCase(Locale.ROOT), done >> 20, total >> 20);
            }
        };
    }

    /** Builds the whole server; model pulls report their progress to {@code progress}. The caller starts it. */
    public static Service server(Settings settings, ModelProvisioner.ProgressSink progress) throws IOException {
        Chroma402Config config = Chroma402Config.from(settings);
        ServeConfig serve = ServeConfig.from(settings, config);
        DataDirectory.secure(config.dataDir(), config.models().directory());
        FileLock lock = lockDataDir(config.dataDir());
        try {
            checkPortFree(serve.server().listening().host(), serve.server().listening().port());
        } catch (RuntimeException e) {
            lock.release();
            lock.channel().close();
            throw e;
        }
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        ModelRegistry models = null;
        ModelProvisioner provisioner = null;
        RemoteModels remoteModels = null;
        Database database = null;
        InvoiceBackend backend = null;
        try {
            logEffectiveSettings(settings);
            LightningBackends.Receiver receiver = LightningBackends.receiving(settings, config.dataDir(), clock, random);
            backend = receiver.backend();
            if (receiver.devWallet() != null) {
                log.warn("development Lightning backend: invoices are signed but no money moves, and anyone can pay "
                        + "them with the page's development wallet. Set lightning.backend to sell for real.");
            }
            RemoteInference remote = RemoteInference.from(settings);
            models = new ModelRegistry();
            if (remote.enabled()) {
                remoteModels = remoteModels(config, serve, remote, models);
            } else {
                provisioner = provisioner(config, serve, models, settings.bool(SettingRegistry.MODELS_AUTO_PULL), progress);
            }
            database = Database.open(serve.database());
            ServerResources resources = new ServerResources(serve.server(), database, backend, receiver.devWallet(), models,
                    resultStore(serve, "results", clock), resultStore(serve, "inputs", clock),
                    new ImageEncoder(config.jpegQuality()), clock, random, BuildInfo.of(Assembly.class));
            return new Service(new Chroma402Server(ServerParts.assemble(resources)), backend, lock, provisioner, remoteModels);
        } catch (RuntimeException | IOException e) {
            if (provisioner != null) {
                provisioner.close();
            }
            if (remoteModels != null) {
                remoteModels.close();
            }
            if (models != null) {
                models.close();
            }
            if (database != null) {
                database.close();
            }
            if (backend instanceof AutoCloseable connections) {
                try {
                    connections.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            lock.release();
            lock.channel().close();
            throw e;
        }
    }

    /** Results or inputs: in the local directories, or under the shared bucket's prefix. */
    private static BlobStore resultStore(ServeConfig serve, String kind, Clock clock) throws IOException {
        if (serve.s3() == null) {
            return new FileBlobStore(kind.equals("results") ? serve.resultsDir() : serve.inputsDir());
        }
        S3Settings s3 = serve.s3();
        S3BlobStore store = new S3BlobStore(new S3Settings(s3.endpoint(), s3.region(), s3.bucket(), s3.prefix() + kind + "/",
                s3.accessKey(), s3.secretKey(), s3.pathStyle()), Duration.ofSeconds(30), clock);
        try {
            store.checkHealth();
        } catch (IOException e) {
            // Not fatal: the server starts, says so in /readyz, and refuses invoices until the store answers.
            log.warn("the results bucket does not answer yet: {}", e.getMessage());
        }
        return store;
    }

    /** The database {@code serve} would use, opened (and migrated) for a command such as {@code keys}. */
    public static Database database(Settings settings) {
        return Database.open(ServeConfig.from(settings, Chroma402Config.from(settings)).database());
    }

    /** The root keys in a database opened by {@link #database}, as the server sees them. */
    public static RootKeyStore rootKeys(Database database) {
        return ServerParts.rootKeys(database, Clock.systemUTC(), new SecureRandom());
    }

    /** What was configured beyond the defaults, secrets redacted: the first thing to check in a log. */
    private static void logEffectiveSettings(Settings settings) {
        if (settings.asMap().isEmpty()) {
            log.info("configuration: all defaults");
            return;
        }
        StringBuilder out = new StringBuilder();
        settings.asMap().forEach((key, value) -> out.append(out.length() == 0 ? "" : ", ").append(key).append('=')
                .append(SettingRegistry.isSecret(key) ? "<redacted>" : value));
        log.info("configuration: {}", out);
    }

    /**
     * The models on sale, each loaded once installed: the priced ones (the public API's large and
     * tiny, and any other priced model) in order, large first, then the catalogue's optional
     * extras (artistic, paper), priced like large and listed once installed.
     */
    static ModelProvisioner provisioner(Chroma402Config config, ServeConfig serve, ModelRegistry registry, boolean autoPull,
            ModelProvisioner.ProgressSink progress) {
        List<String> names = new ArrayList<>(serve.prices().keySet());
        names.sort(Comparator.comparing(n -> "large".equals(n) ? "" : n));
        for (String name : names) {
            registry.offer(name, description(config, name), serve.prices().get(name), false, "not installed on this server yet");
        }
        long largePrice = serve.prices().getOrDefault("large", serve.prices().values().iterator().next());
        List<String> all = new ArrayList<>(names);
        for (ModelSpec spec : config.models().specs()) {
            if (!names.contains(spec.name()) && spec.isCheckpoint()) {
                registry.offer(spec.name(), spec.description(), largePrice, true, "not installed on this server");
                all.add(spec.name());
            }
        }
        ModelPuller puller = modelPuller(config, Duration.ofHours(1));
        Set<String> optional = new HashSet<>(all);
        names.forEach(optional::remove);
        ModelProvisioner provisioner = new ModelProvisioner(config.models(), registry, all,
                name -> pipeline(config, engine(config, name)), puller, autoPull ? names : List.of(), optional, progress);
        provisioner.loadInstalled();
        return provisioner;
    }

    /** What installs the catalogue's models: downloads (each request within {@code timeout}), checks and conversions. */
    public static ModelPuller modelPuller(Chroma402Config config, Duration timeout) {
        // Redirects are followed by the downloader, which judges each against models.redirect-hosts.
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30)).build();
        ModelFileCheck check = new ModelFileCheck();
        return new ModelPuller(config.models(), new ModelDownloader(client, timeout, check, config.downloads()),
                new CheckpointInstaller(CheckpointLimits.DEFAULT, check));
    }

    private static String description(Chroma402Config config, String name) {
        return config.models().spec(name).map(ModelSpec::description).orElse("");
    }

    /**
     * The priced models, offered at once and put on sale when their inference servers answer
     * (large first): a front-end may start before its workers.
     */
    static RemoteModels remoteModels(Chroma402Config config, ServeConfig serve, RemoteInference remote, ModelRegistry registry) {
        List<String> names = new ArrayList<>(serve.prices().keySet());
        names.sort(Comparator.comparing(n -> "large".equals(n) ? "" : n));
        for (String name : names) {
            registry.offer(name, description(config, name), serve.prices().get(name), false, "waiting for an inference server");
        }
        RemoteModels models = new RemoteModels(registry, (name, runner) -> pipeline(config, remoteEngine(config, remote, name, runner)));
        for (String name : names) {
            models.watch(name, servers(remote, name));
        }
        return models;
    }

    private static List<InferenceServer> servers(RemoteInference remote, String name) {
        return remote.urls().stream()
                .map(url -> new InferenceServer(url, remote.remoteName(name), remote.timeout(), remote.token())).toList();
    }

    /**
     * An exclusive lock on the data directory: the embedded database and the development node
     * belong to one process, which is also what lets a restarted server resume jobs at once. The
     * lock file holds the owner's PID, so the next process can say which one to stop.
     */
    static FileLock lockDataDir(Path dataDir) throws IOException {
        Path lockFile = dataDir.resolve(".lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
            if (lock == null) {
                String holder = lockHolder(channel);
                throw new InUseException("the data directory " + dataDir.toAbsolutePath() + " is in use by another Chroma402 process ("
                        + (holder == null ? "PID unknown" : "PID " + holder) + "); stop that one first, or give this one its own data-dir");
            }
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 0);
            channel.force(false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return lock;
    }

    /** The PID the lock's holder wrote, or null (a holder from before PIDs were written, or unreadable). */
    private static String lockHolder(FileChannel channel) {
        try {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), java.nio.charset.StandardCharsets.US_ASCII).trim();
            return text.matches("[0-9]{1,19}") ? text : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Fails at once, before any model is loaded or pulled, when the port is taken: otherwise the
     * listener would find out only after the whole start. A bind that succeeds is closed again
     * (with SO_REUSEADDR, as the listener binds, so a port in TIME_WAIT does not count as taken).
     */
    static void checkPortFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.net.BindException e) {
            if (String.valueOf(e.getMessage()).contains("in use")) {
                throw new InUseException("port " + port + " on " + host + " is in use by another process; stop it, or "
                        + "choose another port with --port or server.port");
            }
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The file a model name or path stands for, with a clear error when it is not there. */
    public static Path modelFile(Chroma402Config config, String nameOrPath) throws ColorizationException {
        Path file;
        try {
            file = config.models().resolve(nameOrPath);
        } catch (IllegalArgumentException e) {
            throw new ColorizationException(e.getMessage());
        }
        if (!Files.isRegularFile(file)) {
            String hint = config.models().spec(nameOrPath).isPresent()
                    ? "; " + ModelProvisioner.howToInstall(config.models().spec(nameOrPath).get(), nameOrPath)
                    : "";
            throw new ColorizationException("model file " + file + " does not exist" + hint);
        }
        return file;
    }

    /**
     * A started engine for one model. At {@code int8}, a model whose INT8 graph is refused (see
     * {@link Int8Models}) runs in fp32, with a warning that says why: it is still worth serving.
     */
    public static ColorizationEngine engine(Chroma402Config config, String nameOrPath) throws ColorizationException {
        Path file = modelFile(config, nameOrPath);
        // Named as the catalogue names it: the name appears in logs, threads and the outputs' metadata.
        String name = config.models().spec(nameOrPath).isPresent() ? nameOrPath : file.getFileName().toString();
        if (config.precision(nameOrPath) == Precision.INT8) {
            Int8Models.Outcome int8 = Int8Models.quantized(file, config.session().defaultInputSize());
            if (int8 instanceof Int8Models.Made made) {
                file = made.file();
            } else {
                log.warn("model {} runs in fp32, not INT8: {}", name, ((Int8Models.Refused) int8).reason());
            }
        }
        return new ColorizationEngine(ModelSession.open(file, config.session()), config.engine(), name).start();
    }

    /** The INT8 graph of one model (made on first use), or why it has none. */
    public static Int8Models.Outcome int8(Chroma402Config config, String nameOrPath) throws ColorizationException {
        return Int8Models.quantized(modelFile(config, nameOrPath), config.session().defaultInputSize());
    }

    /**
     * An engine whose runs go to the configured inference servers: pre- and post-processing stay
     * here, so the results are those of the same model run in this process.
     */
    public static ColorizationEngine remoteEngine(Chroma402Config config, RemoteInference remote, String name)
            throws ColorizationException {
        RemoteModelRunner runner = RemoteModelRunner.connect(servers(remote, name));
        log.info("model {} runs on {} inference server(s): {}", name, remote.urls().size(), remote.urls());
        return remoteEngine(config, remote, name, runner);
    }

    private static ColorizationEngine remoteEngine(Chroma402Config config, RemoteInference remote, String name,
            RemoteModelRunner runner) {
        // One run at a time per server at least: the servers, not this process, bound the work.
        EngineSettings engine = config.engine();
        EngineSettings spread = new EngineSettings(Math.max(engine.maxConcurrentRuns(), remote.urls().size()), engine.maxBatch(),
                engine.maxQueued());
        return new ColorizationEngine(runner, spread, name).start();
    }

    /** A pipeline around an engine, with the configured limits, output quality and upsampling. */
    public static ColorizationPipeline pipeline(Chroma402Config config, ColorizationEngine engine) {
        return new ColorizationPipeline(new ImageDecoder(config.limits()), new ImageEncoder(config.jpegQuality()),
                engine, config.upsampling());
    }
}
