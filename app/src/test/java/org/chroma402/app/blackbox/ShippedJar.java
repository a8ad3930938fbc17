package org.chroma402.app.blackbox;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.chroma402.colorize.testing.TestResources;

/**
 * The jar that {@code mvn package} ships ({@code app/target/chroma402.jar}), run as users and
 * operators run it: {@code java -jar chroma402.jar COMMAND…} in its own process, with its own
 * working directory and environment, no test classpath. Black-box tests ({@code *IT}, run by
 * Failsafe after the jar is built) start it through here.
 */
public final class ShippedJar {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private ShippedJar() {
    }

    /** The shaded jar Failsafe was given; the test is skipped (not failed) when run outside Maven's verify. */
    public static Path jar() {
        String configured = System.getProperty("chroma402.jar");
        Path jar = configured != null ? Path.of(configured) : Path.of("target", "chroma402.jar");
        if (configured != null && !Files.isRegularFile(jar)) {
            throw new AssertionError("chroma402.jar was not built: " + jar);
        }
        assumeTrue(Files.isRegularFile(jar), "no shipped jar at " + jar.toAbsolutePath() + " (run mvn verify)");
        return jar.toAbsolutePath();
    }

    /**
     * Starts {@code java [jvmOptions] -jar chroma402.jar args…} in {@code workDir}, with the
     * environment of this JVM less every {@code CHROMA402_*} variable, plus {@code env}.
     */
    public static JarProcess start(Path workDir, Map<String, String> env, List<String> jvmOptions, String... args) {
        return start(workDir, env, jvmOptions, ProcessBuilder.Redirect.from(new java.io.File("/dev/null")), args);
    }

    /**
     * {@link #start} with standard input a pipe the test writes with {@link JarProcess#send}, for
     * commands that converse over stdin/stdout ({@code mcp}).
     */
    public static JarProcess startWithInput(Path workDir, String... args) {
        return start(workDir, Map.of(), List.of("-Xmx512m"), ProcessBuilder.Redirect.PIPE, args);
    }

    private static JarProcess start(Path workDir, Map<String, String> env, List<String> jvmOptions,
            ProcessBuilder.Redirect stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The user's home is the test's own folder: what a command keeps there (the client's
        // receipts) stays with the test, as it would with a user of its own.
        command.add("-Duser.home=" + workDir.toAbsolutePath());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        int run = RUNS.incrementAndGet();
        Path stdout = workDir.resolve("run-" + run + ".out");
        Path stderr = workDir.resolve("run-" + run + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectInput(stdin)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("CHROMA402_"));
        builder.environment().putAll(env);
        try {
            return new JarProcess(builder.start(), stdout, stderr, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #start} with no extra environment and a small heap, as a small machine runs it. */
    public static JarProcess start(Path workDir, String... args) {
        return start(workDir, Map.of(), List.of("-Xmx512m"), args);
    }

    /** Runs a command to its end (at most {@code timeout}) and returns the finished process. */
    public static JarProcess run(Path workDir, Duration timeout, String... args) {
        JarProcess process = start(workDir, args);
        process.awaitExit(timeout);
        return process;
    }

    /**
     * A configuration for {@code serve} in {@code dir}: its own data directory, the given port on
     * 127.0.0.1, the generated test models as {@code large} (the slow one, about a second a run,
     * so a test can catch a job running) and {@code tiny}, no download. {@code extra} is appended
     * (YAML at the top level).
     */
    public static Path serveConfig(Path dir, int port, String extra) {
        try {
            Path models = Files.createDirectories(dir.resolve("models"));
            if (!Files.exists(models.resolve("ddcolor_large.onnx"))) {
                Files.copy(TestResources.slowModel(), models.resolve("ddcolor_large.onnx"));
                Files.copy(TestResources.tinyModel(), models.resolve("ddcolor_tiny.onnx"));
            }
            return Files.writeString(dir.resolve("chroma402.yaml"), """
                    data-dir: %s
                    server:
                      host: 127.0.0.1
                      port: %d
                    models:
                      dir: %s
                      auto-pull: false
                    %s
                    """.formatted(dir.resolve("data"), port, models, extra));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code base/readyz} answers 200; fails with the process's output otherwise. */
    public static void awaitReady(JarProcess server, URI base, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("the server exited before it was ready\n" + server.describe());
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base.resolve("/readyz"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
                last = ready.statusCode() + " " + ready.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            JarProcess.sleep(100);
        }
        throw new AssertionError(base + " not ready within " + timeout + ": " + last + "\n" + server.describe());
    }
}
