package org.chroma402.app.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.lightning.testing.sim.HttpSimulator;
import org.chroma402.lightning.testing.sim.LndSimulator;
import org.chroma402.lightning.testing.sim.SimulatedNode;
import org.chroma402.server.storage.S3BlobStore;
import org.chroma402.server.testing.LoopbackPorts;
import org.chroma402.server.testing.S3ProxyServer;
import org.chroma402.server.testing.TestDatabases;

/**
 * A Chroma402 fleet on loopback, as an operator runs one: {@code chroma402 serve} replicas (child
 * JVMs) sharing one PostgreSQL (embedded), one S3 bucket (S3Proxy) and one Lightning node (the LND
 * simulator, in this JVM), behind HAProxy (Debian's {@code haproxy}) that health-checks
 * {@code /readyz}. Replicas can be killed ({@code kill -9}) and started again.
 */
final class Fleet implements AutoCloseable {
    final Path dir;
    final SimulatedNode node = new SimulatedNode(Clock.systemUTC());
    final LndSimulator lnd = new LndSimulator(node);
    final S3ProxyServer s3;
    final String databaseUrl;
    final List<Replica> replicas = new ArrayList<>();
    private Process haproxy;
    private int haproxyPort;

    /** One {@code serve} process and where it listens. */
    static final class Replica {
        final String name;
        final int port;
        final Path config;
        Process process;

        Replica(String name, int port, Path config) {
            this.name = name;
            this.port = port;
            this.config = config;
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + port);
        }
    }

    Fleet(Path dir, int replicaCount) throws Exception {
        this.dir = dir;
        lnd.start();
        s3 = S3ProxyServer.start(Files.createDirectories(dir.resolve("s3")));
        try (S3BlobStore maker = new S3BlobStore(s3.settings("fleet", ""), Duration.ofSeconds(5), Clock.systemUTC())) {
            maker.createBucketIfMissing();
        }
        databaseUrl = TestDatabases.postgresUrl();
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.copy(TestResources.slowModel(), models.resolve("ddcolor_large.onnx"));
        Files.copy(TestResources.tinyModel(), models.resolve("ddcolor_tiny.onnx"));
        for (int i = 0; i < replicaCount; i++) {
            String name = "replica-" + (char) ('a' + i);
            Replica replica = new Replica(name, LoopbackPorts.free(), dir.resolve(name + ".yaml"));
            Files.writeString(replica.config, config(replica, models));
            replicas.add(replica);
        }
        for (Replica replica : replicas) {
            start(replica);
        }
        for (Replica replica : replicas) {
            awaitReady(replica.base());
        }
        startHaproxy();
    }

    private String config(Replica replica, Path models) {
        return """
                data-dir: %s
                server:
                  host: 127.0.0.1
                  port: %d
                  trust-proxy: true
                  shutdown-grace: 1s
                database:
                  url: %s
                  username: postgres
                  password: postgres
                lightning:
                  backend: lnd
                  timeout: 5s
                  lnd:
                    url: %s
                    tls-cert: %s
                    macaroon: %s
                results:
                  store: s3
                  s3:
                    endpoint: %s
                    bucket: fleet
                    prefix: chroma402/
                    access-key: %s
                    secret-key: %s
                    path-style: true
                models:
                  dir: %s
                jobs:
                  lease: 3s
                limits:
                  challenges-per-minute: 600
                  challenge-burst: 100
                logging:
                  level: info
                """.formatted(dir.resolve(replica.name), replica.port, databaseUrl, lnd.url(),
                certificate(), LndSimulator.MACAROON, s3.endpoint(),
                S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, models);
    }

    private Path certificate() {
        try {
            return Files.writeString(dir.resolve("lnd-tls.cert"), HttpSimulator.certificate("node"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void start(Replica replica) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        replica.process = new ProcessBuilder(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                "org.chroma402.app.Main", "serve", "-c", replica.config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(replica.name + ".log").toFile()))
                .start();
    }

    /** {@code kill -9}: no shutdown hook, no drain, leases left as they are. */
    void kill(Replica replica) throws InterruptedException {
        replica.process.destroyForcibly();
        replica.process.waitFor(10, TimeUnit.SECONDS);
    }

    void awaitReady(URI base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base.resolve("/readyz"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
                last = ready.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(base + " did not become ready: " + last + "\n" + logs());
    }

    private void startHaproxy() throws Exception {
        haproxyPort = LoopbackPorts.free();
        StringBuilder servers = new StringBuilder();
        for (Replica r : replicas) {
            servers.append("  server ").append(r.name).append(" 127.0.0.1:").append(r.port).append(" check\n");
        }
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, """
                global
                  maxconn 256
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 120s
                  timeout server 120s
                  retries 3
                  option redispatch
                  option forwardfor
                frontend fleet
                  bind 127.0.0.1:%d
                  default_backend replicas
                backend replicas
                  balance roundrobin
                  option httpchk GET /readyz
                  http-check expect status 200
                  default-server inter 300ms fall 2 rise 1
                %s""".formatted(haproxyPort, servers));
        haproxy = new ProcessBuilder(haproxyBinary(), "-f", cfg.toString(), "-db")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("haproxy.log").toFile()))
                .start();
        awaitReady(balancer());
    }

    static String haproxyBinary() {
        for (String candidate : new String[] {"/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    URI balancer() {
        return URI.create("http://127.0.0.1:" + haproxyPort);
    }

    String logs() {
        Map<String, String> tails = new LinkedHashMap<>();
        try (var files = Files.list(dir)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                List<String> lines = Files.readAllLines(log);
                tails.put(log.getFileName().toString(), String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder out = new StringBuilder();
        tails.forEach((name, tail) -> out.append("==== ").append(name).append('\n').append(tail).append('\n'));
        return out.toString();
    }

    @Override
    public void close() throws Exception {
        if (haproxy != null) {
            haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (Replica r : replicas) {
            if (r.process != null) {
                r.process.destroy();
                if (!r.process.waitFor(15, TimeUnit.SECONDS)) {
                    r.process.destroyForcibly();
                }
            }
        }
        s3.close();
        lnd.close();
    }
}
