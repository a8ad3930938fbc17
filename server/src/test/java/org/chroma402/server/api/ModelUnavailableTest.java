package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request for a model that is not on sale gets a 503 before any invoice, and its suggestion
 * names another model only when one is on sale: pointing at a model that is unavailable too
 * would only earn the client a second 503.
 */
class ModelUnavailableTest {
    private static final byte[] PHOTO = TestResources.bytes("fixtures/inputs/buffalo.png");

    @TempDir
    Path dir;

    private static JsonNode refusedLarge(TestServer server) {
        HttpResponse<byte[]> response = new ApiClient(server.base).post("/api/l402/colorize-image", ApiClient.body(PHOTO, "large"));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("X-Error-Code")).hasValue("model_unavailable");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(server.invoiceCount()).isZero();
        return ApiClient.json(response);
    }

    @Test
    void withAnotherModelOnSaleTheSuggestionNamesIt() {
        try (TestServer server = new TestServer(dir, TestServer.Options.defaults().withAvailableModels("tiny"))) {
            JsonNode error = refusedLarge(server);
            assertThat(error.get("error").asText()).contains("large").contains("being downloaded");
            assertThat(error.get("suggestion").asText()).contains("model_size \"tiny\"").contains("not been charged");
        }
    }

    @Test
    void withNoModelOnSaleTheSuggestionOnlySaysLater() {
        try (TestServer server = new TestServer(dir, TestServer.Options.defaults().withAvailableModels())) {
            JsonNode error = refusedLarge(server);
            assertThat(error.get("suggestion").asText()).contains("no model is ready").contains("try again later")
                    .doesNotContain("tiny").doesNotContain("other model");
        }
    }
}
