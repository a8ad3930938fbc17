package org.chroma402.app.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet started in the wrong order, as Compose and Kubernetes may start one: the shipped jar's
 * {@code serve} comes up pointing at an inference server that is not there yet, says why it is not
 * ready, and sells within seconds of the {@code worker} appearing; when the worker is killed it
 * goes unready again, and when the worker comes back, ready again. No restart of the front-end.
 */
class FleetStartsInAnyOrderIT {
    private static final String TINY = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "tiny");
    /** The README's promise: readiness is probed every 2 s; a few rounds, and a worker's start, fit in this. */
    private static final Duration PICKED_UP = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aReplicaStartedBeforeItsWorkerSellsOnceTheWorkerIsUpAndFollowsItDownAndBack() throws Exception {
        int workerPort = LoopbackPorts.free();
        int replicaPort = LoopbackPorts.free();
        URI replica = URI.create("http://127.0.0.1:" + replicaPort);
        Path replicaDir = Files.createDirectories(dir.resolve("replica"));
        // No models of its own: every run goes to the worker.
        Path replicaConfig = Files.writeString(replicaDir.resolve("chroma402.yaml"), """
                data-dir: %s
                server:
                  host: 127.0.0.1
                  port: %d
                models:
                  auto-pull: false
                engine:
                  remote:
                    urls: [http://127.0.0.1:%d/]
                """.formatted(replicaDir.resolve("data"), replicaPort, workerPort));
        Path workerDir = Files.createDirectories(dir.resolve("worker"));
        Path workerConfig = workerConfig(workerDir, workerPort);

        try (JarProcess serve = ShippedJar.start(replicaDir, "serve", "-c", replicaConfig.toString())) {
            HttpResponse<String> waiting = awaitReadyz(serve, replica, Duration.ofSeconds(60), r -> true);
            assertThat(waiting.statusCode()).as(waiting.body()).isEqualTo(503);
            assertThat(json(waiting).get("models").get("tiny").asText()).as(waiting.body())
                    .contains("connection refused");
            assertThat(waiting.body()).doesNotContain("null");
            assertThat(serve.stderr()).as("the log says why in words").doesNotContain(": null");

            try (JarProcess worker = startWorker(workerDir, workerConfig)) {
                awaitReadyz(serve, replica, PICKED_UP, r -> r.statusCode() == 200);
                ApiClient api = new ApiClient(replica);
                JsonNode models = ApiClient.json(api.get("/api/l402/models")).get("models");
                assertThat(models.findValues("available")).as(models.toString()).allMatch(JsonNode::asBoolean);
                HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", TINY);
                assertThat(challenge.statusCode()).as(new String(challenge.body())).isEqualTo(402);
                String credential = api.buy(TINY);
                HttpResponse<byte[]> paid = api.post("/api/l402/colorize-image", TINY, "Authorization", credential);
                assertThat(paid.statusCode()).as(new String(paid.body())).isEqualTo(200);

                worker.signal("KILL");
                worker.awaitExit(Duration.ofSeconds(10));
                HttpResponse<String> gone = awaitReadyz(serve, replica, Duration.ofSeconds(6), r -> r.statusCode() == 503);
                assertThat(json(gone).get("models").get("tiny").asText()).as(gone.body())
                        .contains("connection refused");
                HttpResponse<byte[]> refused = api.post("/api/l402/colorize-image", TINY);
                assertThat(refused.statusCode()).as(new String(refused.body())).isEqualTo(503);
                assertThat(new String(refused.body())).contains("connection refused").doesNotContain("null");
            }

            try (JarProcess again = startWorker(workerDir, workerConfig)) {
                awaitReadyz(serve, replica, PICKED_UP, r -> r.statusCode() == 200);
                ApiClient api = new ApiClient(replica);
                HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", TINY);
                assertThat(challenge.statusCode()).as(new String(challenge.body())).isEqualTo(402);
            }
            assertThat(serve.stderr()).doesNotContain(": null");
        }
    }

    private static Path workerConfig(Path workerDir, int port) throws IOException {
        Path models = Files.createDirectories(workerDir.resolve("models"));
        Files.copy(TestResources.slowModel(), models.resolve("ddcolor_large.onnx"));
        Files.copy(TestResources.tinyModel(), models.resolve("ddcolor_tiny.onnx"));
        return Files.writeString(workerDir.resolve("chroma402.yaml"), """
                data-dir: %s
                models:
                  dir: %s
                worker:
                  port: %d
                """.formatted(workerDir.resolve("data"), models, port));
    }

    /** Starts the worker and waits until it listens: the clock for picking it up starts then. */
    private static JarProcess startWorker(Path workerDir, Path config) {
        JarProcess worker = ShippedJar.start(workerDir, "worker", "-c", config.toString());
        worker.awaitOutput("worker is serving", Duration.ofSeconds(60));
        return worker;
    }

    /** Polls {@code /readyz} until an answer passes {@code until}; fails with the last answer and the log. */
    private static HttpResponse<String> awaitReadyz(JarProcess serve, URI base, Duration timeout,
            Predicate<HttpResponse<String>> until) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!serve.isAlive()) {
                throw new AssertionError("serve exited\n" + serve.describe());
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base.resolve("/readyz"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (until.test(ready)) {
                    return ready;
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
        throw new AssertionError("/readyz did not change within " + timeout + ": " + last + "\n" + serve.describe());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return new ObjectMapper().readTree(response.body());
    }
}
