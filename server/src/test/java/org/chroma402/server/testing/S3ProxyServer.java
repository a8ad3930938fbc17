package org.chroma402.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.chroma402.server.storage.S3Settings;

/**
 * S3Proxy (org.gaul:s3proxy from Maven Central), a real S3 API server with signature v4 over a
 * filesystem backend, run as a child JVM on a loopback port: its Jetty 11 never meets our Jetty 12.
 * The {@code test-servers} module puts its jars in {@code test-servers/target/s3proxy}. It can be
 * stopped and started again on the same port and files, to play an outage.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "chroma402-test-access";
    public static final String SECRET_KEY = "chroma402-test-secret-key";

    private final Path dir;
    private final int port;
    private Process process;

    private S3ProxyServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts S3Proxy with its objects under {@code dir}. */
    public static S3ProxyServer start(Path dir) {
        S3ProxyServer server = new S3ProxyServer(dir, LoopbackPorts.free());
        try {
            server.startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return server;
    }

    public static Path jars() {
        Path jars = Path.of(System.getProperty("user.dir")).resolve("../test-servers/target/s3proxy").normalize();
        if (!Files.isDirectory(jars)) {
            throw new AssertionError("S3Proxy's jars are missing in " + jars
                    + ": build from the project root (mvn verify), where the test-servers module puts them");
        }
        return jars;
    }

    public synchronized void startProcess() throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs"));
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, """
                s3proxy.endpoint=http://127.0.0.1:%d
                s3proxy.authorization=aws-v2-or-v4
                s3proxy.identity=%s
                s3proxy.credential=%s
                jclouds.provider=filesystem-nio2
                jclouds.filesystem.basedir=%s
                jclouds.identity=unused
                jclouds.credential=unused
                """.formatted(port, ACCESS_KEY, SECRET_KEY, blobs));
        Path logback = dir.resolve("s3proxy-logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d %-5level %logger{20} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-Xmx256m", "-Dlogback.configurationFile=" + logback, "-cp", jars() + "/*",
                "org.gaul.s3proxy.Main", "--properties", properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited: see " + dir.resolve("s3proxy.log") + "\n"
                        + Files.readString(dir.resolve("s3proxy.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
        throw new IllegalStateException("S3Proxy did not start in 60 s: see " + dir.resolve("s3proxy.log"));
    }

    /** Stops the process (the objects stay on disk), as an outage would. */
    public synchronized void stopProcess() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public S3Settings settings(String bucket, String prefix) {
        return new S3Settings(endpoint(), "us-east-1", bucket, prefix, ACCESS_KEY, SECRET_KEY, true);
    }

    @Override
    public void close() {
        stopProcess();
    }
}
