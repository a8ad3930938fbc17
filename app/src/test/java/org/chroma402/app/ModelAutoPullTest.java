package org.chroma402.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.chroma402.app.config.ConfigLoader;
import org.chroma402.colorize.model.ModelDownloader;
import org.chroma402.colorize.testing.HubMirror;
import org.chroma402.colorize.testing.RepositoryFiles;
import org.chroma402.colorize.testing.TestCheckpoints;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.server.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh data directory and {@code serve}: the offered models are pulled from a loopback mirror
 * of the authors' Hugging Face files while the server already answers. Until a model is in,
 * requests for it get a 503 that says it is being downloaded (and no invoice); then it is sold,
 * and both sizes colorize.
 */
class ModelAutoPullTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aFreshServerPullsLargeAndTinyAndSellsThemOnceInstalled() throws Exception {
        Path large = TestCheckpoints.get(TestCheckpoints.LARGE);
        Path tiny = TestCheckpoints.get(TestCheckpoints.TINY);
        try (HubMirror mirror = HubMirror.start()
                .put("piddnad/DDColor-models", "ddcolor_modelscope.pth", large)
                .put("piddnad/DDColor-models", "ddcolor_paper_tiny.pth", tiny)) {
            mirror.hold();
            Map<String, String> flags = new HashMap<>();
            flags.put("data-dir", dir.resolve("data").toString());
            flags.put("server.port", "0");
            flags.put("models.hub-url", mirror.uri().toString());
            // The operator's pins replace the built-in ones (the test checkpoints are not the authors' files).
            flags.put("models.large.sha256", ModelDownloader.sha256(large));
            flags.put("models.tiny.sha256", ModelDownloader.sha256(tiny));
            flags.put("models.input-size", "256");
            try (Assembly.Service service = Assembly.server(ConfigLoader.load(null, Map.of(), flags))) {
                ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + service.start()));
                byte[] photo = Files.readAllBytes(RepositoryFiles.realPhoto("keller-chaplin-1919.jpg"));

                HttpResponse<byte[]> early = api.post("/api/l402/colorize-image", ApiClient.body(photo, "large"));
                assertThat(early.statusCode()).isEqualTo(503);
                JsonNode error = JSON.readTree(early.body());
                assertThat(error.path("error_code").asText()).isEqualTo("model_unavailable");
                assertThat(error.toString()).contains("being downloaded");
                assertThat(early.headers().firstValue("WWW-Authenticate")).isEmpty();
                JsonNode listed = JSON.readTree(api.get("/api/l402/models").body());
                assertThat(listed.toString()).contains("being downloaded").doesNotContain(dir.toString());
                HttpResponse<byte[]> ready = api.get("/readyz");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(ready.body()).path("models").path("large").asText()).startsWith("being downloaded");

                mirror.release();
                awaitAvailable(api, "large", "tiny");
                for (String size : new String[] {"large", "tiny"}) {
                    String body = ApiClient.body(photo, size);
                    HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", body);
                    assertThat(challenge.statusCode()).as(size).isEqualTo(402);
                    L402Challenge l402 = ApiClient.challenge(challenge);
                    String preimage = api.devPay(l402.invoice());
                    HttpResponse<byte[]> png = api.post("/api/l402/colorize-image", body,
                            "Authorization", "L402 " + l402.macaroonBase64() + ":" + preimage, "Accept", "image/png");
                    assertThat(png.statusCode()).as(size).isEqualTo(200);
                    assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
                }
                assertThat(api.get("/readyz").statusCode()).isEqualTo(200);
                // The checkpoints were converted and deleted; the installs are what is left.
                try (var files = Files.list(dir.resolve("data/models"))) {
                    assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(".downloads", "large", "tiny");
                }
            }
            // The operator pins another digest: the install made from the old file is not used, and nothing is downloaded.
            flags.put("models.tiny.sha256", "0".repeat(64));
            flags.put("models.auto-pull", "false");
            int requests = mirror.requests().size();
            try (Assembly.Service service = Assembly.server(ConfigLoader.load(null, Map.of(), flags))) {
                ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + service.start()));
                JsonNode models = JSON.readTree(api.get("/api/l402/models").body()).path("models");
                assertThat(models.toString()).contains("installed, but its files cannot be used");
                assertThat(api.post("/api/l402/colorize-image", ApiClient.body(
                        Files.readAllBytes(RepositoryFiles.realPhoto("keller-chaplin-1919.jpg")), "large")).statusCode()).isEqualTo(402);
            }
            assertThat(mirror.requests()).hasSize(requests);
        }
    }

    private static void awaitAvailable(ApiClient api, String... models) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (true) {
            JsonNode list = JSON.readTree(api.get("/api/l402/models").body());
            JsonNode array = list.isArray() ? list : list.path("models");
            long available = 0;
            for (JsonNode m : array) {
                for (String name : models) {
                    if (m.path("model_size").asText().equals(name) && m.path("available").asBoolean()) {
                        available++;
                    }
                }
            }
            if (available == models.length) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("models not available in time: " + list);
            }
            Thread.sleep(500);
        }
    }
}
