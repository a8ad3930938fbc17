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

    /** Options a test may change. */
    public record Options(ImageLimits limits, int challengesPerMinute, int challengeBurst, int maxQueued,
            boolean startEngines, Duration jobLease, UnaryOperator<InvoiceBackend> backendWrapper, List<String> cors,
            Duration invoiceExpiry, boolean realClock, float jpegQuality) {
        public static Options defaults() {
            return new Options(ImageLimits.DEFAULTS, 600, 100, 16, true, Duration.ofSeconds(5), b -> b, List.of("*"),
                    Duration.ofMinutes(10), false, ImageEncoder.DEFAULT_JPEG_QUALITY);
        }

        public Options withJpegQuality(float quality) {
            return new Options(limits, challengesPerMinute, challengeBurst, maxQueued, startEngines, jobLease, backendWrapper,
                    cors, invoiceExpiry, realClock, quality);
        }

        public Options withLimits(ImageLimits l) {
            return new Options(l, challengesPerMinute, challengeBurst, maxQueued, startEngines, jobLease, backendWrapper,
                    cors, invoiceExpiry, realClock, jpegQuality);
        }

        public Options withRate(int perMinute, int burst) {
            return new Options(limits, perMinute, burst, maxQueued, startEngines, jobLease, backendWrapper, cors,
                    invoiceExpiry, realClock, jpegQuality);
        }

        public Options withQueue(int queued, boolean start) {
            return new Options(limits, challengesPerMinute, challengeBurst, queued, start, jobLease, backendWrapper, cors,
                    invoiceExpiry, realClock, jpegQuality);
        }

        public Options withBackend(UnaryOperator<InvoiceBackend> wrapper) {
            return new Options(limits, challengesPerMinute, challengeBurst, maxQueued, startEngines, jobLease, wrapper,
                    cors, invoiceExpiry, realClock, jpegQuality);
        }

        /** Short invoices on the wall clock, for a browser that counts down in real time. */
        public Options withRealClockAndInvoiceExpiry(Duration expiry) {
            return new Options(limits, challengesPerMinute, challengeBurst, maxQueued, startEngines, jobLease,
                    backendWrapper, cors, expiry, true, jpegQuality);
        }
    }

    public TestServer(Path dir) {
        this(dir, Options.defaults());
    }

    public TestServer(Path dir, Options options) {
        this.dir = dir;
        this.serverClock = options.realClock() ? java.time.Clock.systemUTC() : clock;
        SecureRandom random = new SecureRandom();
        try {
            devNode = new DevNodeBackend(dir.resolve("devnode"), serverClock, random);
            database = Database.open(DatabaseConfig.sqlite(dir.resolve("chroma402.db")));
            Map<String, ColorizationPipeline> pipelines = new LinkedHashMap<>();
            for (String name : List.of("large", "tiny")) {
                ColorizationEngine engine = new ColorizationEngine(
                        ModelSession.open(TestResources.tinyModel(), SessionSettings.DEFAULTS),
                        new EngineSettings(1, 1, options.maxQueued()), name);
                if (options.startEngines()) {
                    engine.start();
                }
                engines.put(name, engine);
                pipelines.put(name, new ColorizationPipeline(new ImageDecoder(options.limits()), new ImageEncoder(options.jpegQuality()),
                        engine, AbUpsampling.NEAREST));
            }
            ModelRegistry models = new ModelRegistry(pipelines, List.of(
                    new ModelRegistry.Listing("large", "test large", 5, 64, true, null),
                    new ModelRegistry.Listing("tiny", "test tiny", 3, 64, true, null)));
            config = new ServerConfig(
                    new ServerConfig.Listening("127.0.0.1", 0, null, options.cors(), false),
                    new ServerConfig.TokenPolicy(options.invoiceExpiry(), Duration.ofHours(1), Duration.ofDays(30)),
                    new ServerConfig.UnpaidLimits(options.limits(), options.challengesPerMinute(), options.challengeBurst()),
                    new ServerConfig.JobPolicy(options.jobLease(), 2),
                    new ServerConfig.ResultPolicy(Duration.ofHours(24)));
            server = new Chroma402Server(ServerParts.assemble(new ServerResources(config, database,
                    options.backendWrapper().apply(devNode), devNode, models, new FileBlobStore(dir.resolve("results")),
                    new FileBlobStore(dir.resolve("inputs")), new ImageEncoder(options.jpegQuality()), serverClock, random)));
            int port = server.start();
            base = URI.create("http://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ColorizationException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    @Override
    public void close() {
        server.close();
    }
}
