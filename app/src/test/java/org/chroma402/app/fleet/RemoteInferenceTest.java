package org.chroma402.app.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.chroma402.app.Assembly;
import org.chroma402.app.config.ConfigLoader;
import org.chroma402.colorize.remote.OipMessages;
import org.chroma402.colorize.remote.OipTensor;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote inference end to end: two {@code chroma402 worker} processes serve the models over the Open
 * Inference Protocol; a front-end ({@code engine.remote.urls}) sells colorizations whose results are
 * byte for byte those of a front-end running the same models itself; a worker killed ({@code kill -9})
 * mid-run is skipped and the run finishes on the other; with no worker left, no invoice is made.
 */
class RemoteInferenceTest {
    private static final String TOKEN = "worker-token-for-tests";
    private static final String TINY = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "tiny");
    private static final String LARGE = ApiClient.body(TestResources.bytes("fixtures/inputs/detroit.png"), "large");

    @TempDir
    Path dir;

    private Path models() throws IOException {
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.copy(TestResources.slowModel(), models.resolve("ddcolor_large.onnx"));
        Files.copy(TestResources.tinyDynamicModel(), models.resolve("ddcolor_tiny.onnx"));
        return models;
    }

    private Process worker(Path models, int port, String name) throws IOException {
        Path config = Files.writeString(dir.resolve(name + ".yaml"), """
                data-dir: %s
                models:
                  dir: %s
                worker:
                  port: %d
                  token: %s
                """.formatted(dir.resolve(name), models, port, TOKEN));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"), "org.chroma402.app.Main",
                "worker", "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
    }

    private static void awaitReady(URI base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/v2/health/ready")).header("Authorization", "Bearer " + TOKEN)
                        .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError(base + " did not start");
    }

    private Assembly.Service frontEnd(String name, Path models, List<URI> workers) throws IOException {
        Map<String, String> flags = new HashMap<>();
        flags.put("data-dir", dir.resolve(name).toString());
        flags.put("models.dir", models.toString());
        flags.put("server.port", "0");
        flags.put("logging.access", "false");
        if (!workers.isEmpty()) {
            flags.put("engine.remote.urls", String.join(",", workers.stream().map(URI::toString).toList()));
            flags.put("engine.remote.token", TOKEN);
        }
        return Assembly.server(ConfigLoader.load(null, Map.of(), flags));
    }

    private static JsonNode buy(ApiClient api, String body) {
        String credential = api.buy(body);
        HttpResponse<byte[]> paid = api.post("/api/l402/colorize-image", body, "Authorization", credential);
        assertThat(paid.statusCode()).as(new String(paid.body())).isEqualTo(200);
        return ApiClient.json(paid);
    }

    @Test
    void aFrontEndOnTwoWorkersSellsTheSameResultsAndSurvivesLosingOne() throws Exception {
        Path models = models();
        URI w1 = URI.create("http://127.0.0.1:" + LoopbackPorts.free());
        URI w2 = URI.create("http://127.0.0.1:" + LoopbackPorts.free());
        Process first = worker(models, w1.getPort(), "worker-1");
        Process second = worker(models, w2.getPort(), "worker-2");
        try (Assembly.Service local = frontEnd("local", models, List.of())) {
            awaitReady(w1);
            awaitReady(w2);
            checkTheProtocol(w1);
            ApiClient here = new ApiClient(URI.create("http://127.0.0.1:" + local.server().start()));
            byte[] localTiny = here.get(buy(here, TINY).get("image_url").asText()).body();
            byte[] localLarge = here.get(buy(here, LARGE).get("image_url").asText()).body();

            try (Assembly.Service remote = frontEnd("remote", models, List.of(w1, w2))) {
                ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + remote.server().start()));
                assertThat(ApiClient.json(api.get("/api/l402/models")).get("models").get(0).get("input_size").asInt())
                        .as("the model's size, read from the workers' metadata").isEqualTo(256);
                byte[] remoteTiny = api.get(buy(api, TINY).get("image_url").asText()).body();
                assertThat(remoteTiny).as("the same bytes as in-process inference").isEqualTo(localTiny);

                // A paid large job: kill the worker running it (the least busy pick, the first), mid-run.
                String credential = api.buy(LARGE);
                HttpResponse<byte[]> accepted = api.post("/api/l402/colorize-image", LARGE, "Authorization", credential,
                        "Prefer", "respond-async");
                String jobId = ApiClient.json(accepted).get("job_id").asText();
                long deadline = System.currentTimeMillis() + 20_000;
                while (!"running".equals(ApiClient.json(api.get("/api/l402/jobs/" + jobId)).path("status").asText())
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(300); // the image is on its way to the worker
                first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                HttpResponse<byte[]> done = api.post("/api/l402/colorize-image", LARGE, "Authorization", credential);
                assertThat(done.statusCode()).as(new String(done.body())).isEqualTo(200);
                assertThat(api.get(ApiClient.json(done).get("image_url").asText()).body())
                        .as("finished on the other worker, with the same bytes").isEqualTo(localLarge);
                assertThat(Files.readString(dir.resolve("worker-2.log"))).doesNotContain("ERROR");

                // No worker left: unpaid requests get 503 before any invoice; readiness says why.
                second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                Thread.sleep(5000); // two probe rounds
                HttpResponse<byte[]> unpaid = api.post("/api/l402/colorize-image", TINY);
                assertThat(unpaid.statusCode()).as(new String(unpaid.body())).isEqualTo(503);
                assertThat(unpaid.headers().firstValue("X-Error-Code")).hasValue("model_unavailable");
                assertThat(unpaid.headers().allValues("WWW-Authenticate")).isEmpty();
            }
        } finally {
            first.destroyForcibly();
            second.destroyForcibly();
        }
    }

    /** The worker answers the protocol's documented shapes, and only with its token. */
    private static void checkTheProtocol(URI worker) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(worker.resolve("/v2/models/tiny")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<byte[]> metadata = http.send(HttpRequest.newBuilder(worker.resolve("/v2/models/tiny"))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        OipMessages.ModelMetadata m = OipMessages.parseModelMetadata(metadata.body());
        assertThat(m.inputs().get(0).datatype()).isEqualTo("FP32");
        assertThat(m.inputs().get(0).shape()).containsExactly(-1, 3, 64, 64);
        assertThat(m.outputs().get(0).shape()).containsExactly(-1, 2, 64, 64);
        // JSON tensor data in, JSON out (no binary_data asked): the protocol's plain form works too.
        StringBuilder zeros = new StringBuilder();
        for (int i = 0; i < 3 * 64 * 64; i++) {
            zeros.append(i == 0 ? "0" : ",0");
        }
        String json = "{\"inputs\":[{\"name\":\"" + m.inputs().get(0).name() + "\",\"shape\":[1,3,64,64],\"datatype\":\"FP32\","
                + "\"data\":[" + zeros + "]}]}";
        HttpResponse<byte[]> plain = http.send(HttpRequest.newBuilder(worker.resolve("/v2/models/tiny/infer"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(plain.statusCode()).as(new String(plain.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        List<OipTensor> out = OipMessages.parseInferResponse(plain.body(), null);
        assertThat(out.get(0).shape()).containsExactly(1, 2, 64, 64);
        // A tensor of the wrong size is refused with the protocol's error body.
        OipMessages.Body wrong = OipMessages.inferRequest(null, List.of(OipTensor.fp32(m.inputs().get(0).name(),
                new long[] {1, 3, 32, 32}, new float[3 * 32 * 32])), List.of());
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(worker.resolve("/v2/models/tiny/infer"))
                .header("Authorization", "Bearer " + TOKEN).header(OipMessages.HEADER_LENGTH, wrong.jsonLength().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(wrong.bytes())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).startsWith("{\"error\":");
    }
}
