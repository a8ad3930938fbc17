package org.chroma402.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageEncoder;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.pipeline.AbUpsampling;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.colorize.pipeline.ColorizationPipeline;
import org.chroma402.colorize.pipeline.EngineSettings;
import org.chroma402.colorize.pipeline.ModelSession;
import org.chroma402.colorize.pipeline.SessionSettings;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.dev.DevNodeBackend;
import org.chroma402.lightning.testing.MutableClock;
import org.chroma402.server.Chroma402Server;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.jobs.ModelRegistry;
import org.chroma402.server.metrics.BuildInfo;
import org.chroma402.server.persistence.Database;
import org.chroma402.server.persistence.DatabaseConfig;
import org.chroma402.server.storage.FileBlobStore;
import org.chroma402.server.wiring.ServerParts;
import org.chroma402.server.wiring.ServerResources;

/**
 * A real Chroma402 server on a loopback port for tests: SQLite in a temporary directory, the
 * development Lightning node, and the generated tiny DDColor-shaped model behind both "large"
 * and "tiny". Time is a {@link MutableClock} the test moves.
 */
public final class TestServer implements AutoCloseable {
    public final Path dir;
    public final MutableClock clock = MutableClock.startingNow();
    private final java.time.Clock serverClock;
    public final DevNodeBackend devNode;
    public final Database database;
    public final Chroma402Server server;
    public final ServerConfig config;
    public final Map<String, ColorizationEngine> engines = new LinkedHashMap<>();
    public final URI base;
    private final List<ColorizationEngine> unsold = new java.util.ArrayList<>();

    /** Options a test may change: each {@code with…} returns a changed copy. */
    public static final class Options implements Cloneable {
        private ImageLimits limits = ImageLimits.DEFAULTS;
        private int challengesPerMinute = 600;
        private int challengeBurst = 100;
        private int maxQueued = 16;
        private boolean startEngines = true;
        private java.nio.file.Path model;
        private SessionSettings session = SessionSettings.DEFAULTS;
        private Duration jobLease = Duration.ofSeconds(5);
        private int jobWorkers = 2;
        // Generous: most tests ask for many invoices from one loopback address.
        private int maxPerAddress = 1000;
        private int maxQueuedJobs = 1000;
        private UnaryOperator<InvoiceBackend> backendWrapper = b -> b;
        private List<String> cors = List.of("*");
        private Duration invoiceExpiry = Duration.ofMinutes(10);
        private boolean realClock;
        private float jpegQuality = ImageEncoder.DEFAULT_JPEG_QUALITY;
        private UnaryOperator<ServerConfig.Listening> listening = l -> l;
        private ServerConfig.ConnectionLimits connections = ServerConfig.ConnectionLimits.DEFAULTS;
        private int unpaidDecoders = 2;
        private Duration unpaidDecodeTime = Duration.ofSeconds(10);
        private ServerConfig.Operations operations = new ServerConfig.Operations(true, Duration.ofSeconds(2));
        private ServerConfig.Payments payments = ServerConfig.Payments.DEFAULTS;
        private java.util.function.Function<String, org.chroma402.server.storage.BlobStore> stores;
        private ServerConfig.ResultPolicy.Delivery delivery = ServerConfig.ResultPolicy.Delivery.PROXY;
        private List<String> available = List.of("large", "tiny");

        public static Options defaults() {
            return new Options();
        }

        private Options copy(java.util.function.Consumer<Options> change) {
            try {
                Options copy = (Options) clone();
                change.accept(copy);
                return copy;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        /** Another model for both sizes, loaded with these session settings (a dynamic one renders at any input size). */
        public Options withModel(java.nio.file.Path file, SessionSettings settings) {
            this.model = file;
            this.session = settings;
            return this;
        }

        public Options withJpegQuality(float quality) {
            return copy(o -> o.jpegQuality = quality);
        }

        public Options withLimits(ImageLimits l) {
            return copy(o -> o.limits = l);
        }

        public Options withRate(int perMinute, int burst) {
            return copy(o -> {
                o.challengesPerMinute = perMinute;
                o.challengeBurst = burst;
            });
        }

        public Options withQueue(int queued, boolean start) {
            return copy(o -> {
                o.maxQueued = queued;
                o.startEngines = start;
            });
        }

        public Options withBackend(UnaryOperator<InvoiceBackend> wrapper) {
            return copy(o -> o.backendWrapper = wrapper);
        }

        /** Short invoices on the wall clock, for a browser that counts down in real time. */
        public Options withRealClockAndInvoiceExpiry(Duration expiry) {
            return copy(o -> {
                o.invoiceExpiry = expiry;
                o.realClock = true;
            });
        }

        /** Changes how the server sees itself reached (proxies, public URL, hosts). */
        public Options withListening(UnaryOperator<ServerConfig.Listening> change) {
            return copy(o -> o.listening = change);
        }

        public Options withConnections(ServerConfig.ConnectionLimits limits) {
            return copy(o -> o.connections = limits);
        }

        /** Result and input stores by kind ({@code results}, {@code inputs}) instead of directories, and how results are handed out. */
        public Options withStores(java.util.function.Function<String, org.chroma402.server.storage.BlobStore> s,
                ServerConfig.ResultPolicy.Delivery d) {
            return copy(o -> {
                o.stores = s;
                o.delivery = d;
            });
        }

        public Options withPayments(ServerConfig.Payments p) {
            return copy(o -> o.payments = p);
        }

        public Options withOperations(ServerConfig.Operations ops) {
            return copy(o -> o.operations = ops);
        }

        /** Paid job workers, and the paid work one address and the whole queue may hold before invoices are refused. */
        public Options withJobs(int workers, int perAddress, int queued) {
            return copy(o -> {
                o.jobWorkers = workers;
                o.maxPerAddress = perAddress;
                o.maxQueuedJobs = queued;
            });
        }

        public Options withUnpaidDecoding(int decoders, Duration time) {
            return copy(o -> {
                o.unpaidDecoders = decoders;
                o.unpaidDecodeTime = time;
            });
        }

        /** Only these of "large" and "tiny" are on sale; the others are listed as still being downloaded. */
        public Options withAvailableModels(String... names) {
            return copy(o -> o.available = List.of(names));
        }
    }

    public TestServer(Path dir) {
        this(dir, Options.defaults());
    }

    public TestServer(Path dir, Options options) {
        this.dir = dir;
        this.serverClock = options.realClock ? java.time.Clock.systemUTC() : clock;
        SecureRandom random = new SecureRandom();
        try {
            devNode = new DevNodeBackend(dir.resolve("devnode"), serverClock, random);
            database = Database.open(DatabaseConfig.sqlite(dir.resolve("chroma402.db")));
            Map<String, ColorizationPipeline> pipelines = new LinkedHashMap<>();
            for (String name : List.of("large", "tiny")) {
                ColorizationEngine engine = new ColorizationEngine(
                        ModelSession.open(options.model == null ? TestResources.tinyModel() : options.model, options.session),
                        new EngineSettings(1, 1, options.maxQueued), name);
                if (options.startEngines) {
                    engine.start();
                }
                engines.put(name, engine);
                pipelines.put(name, new ColorizationPipeline(new ImageDecoder(options.limits), new ImageEncoder(options.jpegQuality),
                        engine, AbUpsampling.NEAREST));
            }
            int size = engines.get("large").info().inputSize();
            engines.forEach((name, engine) -> {
                if (!options.available.contains(name)) {
                    unsold.add(engine);
                }
            });
            pipelines.keySet().retainAll(options.available);
            ModelRegistry models = new ModelRegistry(pipelines, List.of(listing("large", 5, size, options.available),
                    listing("tiny", 3, size, options.available)));
            config = new ServerConfig(
                    options.listening.apply(ServerConfig.Listening.direct("127.0.0.1", 0, options.cors)),
                    options.connections,
                    new ServerConfig.TokenPolicy(options.invoiceExpiry, Duration.ofHours(1), Duration.ofDays(30)),
                    options.payments,
                    new ServerConfig.UnpaidLimits(options.limits, options.challengesPerMinute, options.challengeBurst,
                            options.unpaidDecoders, options.unpaidDecodeTime),
                    new ServerConfig.JobPolicy(options.jobLease, options.jobWorkers, options.maxPerAddress,
                            options.maxQueuedJobs),
                    new ServerConfig.ResultPolicy(Duration.ofHours(24), options.delivery), options.operations);
            server = new Chroma402Server(ServerParts.assemble(new ServerResources(config, database,
                    options.backendWrapper.apply(devNode), devNode, models,
                    options.stores == null ? new FileBlobStore(dir.resolve("results")) : options.stores.apply("results"),
                    options.stores == null ? new FileBlobStore(dir.resolve("inputs")) : options.stores.apply("inputs"), new ImageEncoder(options.jpegQuality), serverClock, random, BuildInfo.DEVELOPMENT)));
            int port = server.start();
            base = URI.create("http://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ColorizationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModelRegistry.Listing listing(String name, long price, int size, List<String> available) {
        return available.contains(name) ? new ModelRegistry.Listing(name, "test " + name, price, size, true, null)
                : new ModelRegistry.Listing(name, "test " + name, price, null, false, "being downloaded: 40%");
    }

    /** How many invoices the development node has made: what "no invoice for this" is checked against. */
    public long invoiceCount() {
        java.nio.file.Path invoices = dir.resolve("devnode/invoices");
        if (!java.nio.file.Files.isDirectory(invoices)) {
            return 0;
        }
        try (var files = java.nio.file.Files.list(invoices)) {
            return files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    @Override
    public void close() {
        server.close();
        unsold.forEach(ColorizationEngine::close);
    }
}
