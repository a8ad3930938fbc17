package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreeEndpointsTest {
    @TempDir
    static Path dir;
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        server = new TestServer(dir);
        api = new ApiClient(server.base);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void modelsListsPricesSizesAndAvailability() {
        JsonNode models = ApiClient.json(api.get("/api/l402/models")).get("models");
        assertThat(models).hasSize(2);
        assertThat(models.get(0).get("model_size").asText()).isEqualTo("large");
        assertThat(models.get(0).get("price_sats").asInt()).isEqualTo(5);
        assertThat(models.get(0).get("input_size").asInt()).isEqualTo(64);
        assertThat(models.get(0).get("available").asBoolean()).isTrue();
        assertThat(models.get(1).get("price_sats").asInt()).isEqualTo(3);
    }

    @Test
    void healthAndReadiness() {
        assertThat(api.get("/healthz").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> ready = api.get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(ready).get("lightning_backend").asText()).isEqualTo("dev");
    }

    @Test
    void metricsAreInPrometheusForm() {
        api.post("/api/l402/colorize-image", ApiClient.body(TestResources.bytes("fixtures/inputs/tiny.png"), "tiny"));
        String metrics = new String(api.get("/metrics").body());
        assertThat(metrics).contains("chroma402_challenges_minted_total{model=\"tiny\"}")
                .contains("chroma402_http_requests_total").contains("chroma402_queue_depth{model=\"large\"}")
                .contains("chroma402_jobs_in_flight");
    }

    @Test
    void openApiAndDiscoveryDocuments() {
        JsonNode openapi = ApiClient.json(api.get("/openapi.json"));
        assertThat(openapi.get("paths").has("/api/l402/colorize-image")).isTrue();
        JsonNode wellKnown = ApiClient.json(api.get("/.well-known/l402.json"));
        assertThat(wellKnown.get("endpoints").get(0).get("url").asText()).endsWith("/api/l402/colorize-image");
    }

    @Test
    void corsExposesTheChallengeHeader() {
        HttpResponse<byte[]> response = api.post("/api/l402/colorize-image",
                ApiClient.body(TestResources.bytes("fixtures/inputs/tiny.png"), "tiny"), "Origin", "https://app.example");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("WWW-Authenticate");
    }

    @Test
    void theInvoiceQrCodeIsAnSvg() {
        L402Challenge c = ApiClient.challenge(api.post("/api/l402/colorize-image",
                ApiClient.body(TestResources.bytes("fixtures/inputs/tiny.png"), "tiny")));
        HttpResponse<byte[]> qr = api.get("/api/l402/qr.svg?invoice=" + c.invoice());
        assertThat(qr.statusCode()).isEqualTo(200);
        assertThat(qr.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(new String(qr.body())).startsWith("<svg").contains("<path");
        assertThat(api.get("/api/l402/qr.svg?invoice=hello").statusCode()).isEqualTo(400);
    }

    @Test
    void paymentStatusTellsTheMacaroonHolderWhenItIsPaid() {
        L402Challenge c = ApiClient.challenge(api.post("/api/l402/colorize-image",
                ApiClient.body(TestResources.bytes("fixtures/inputs/tiny.png"), "tiny")));
        String body = "{\"macaroon\": \"" + c.macaroonBase64() + "\"}";
        JsonNode open = ApiClient.json(api.post("/api/l402/payment-status?wait=0", body));
        assertThat(open.get("state").asText()).isEqualTo("open");
        String preimage = api.devPay(c.invoice());
        JsonNode paid = ApiClient.json(api.post("/api/l402/payment-status?wait=5", body));
        assertThat(paid.get("state").asText()).isEqualTo("paid");
        assertThat(paid.get("preimage").asText()).isEqualTo(preimage);
        assertThat(api.post("/api/l402/payment-status", "{\"macaroon\": \"AgEE\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void theDevWalletRefusesOtherInvoices() {
        HttpResponse<byte[]> r = api.post("/api/dev/pay", "{\"invoice\": \"lnbc1nothing\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(r).get("error_code").asText()).isEqualTo("payment_failed");
    }

    @Test
    void theWebPageIsServed() {
        HttpResponse<byte[]> page = api.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(new String(page.body())).contains("Chroma402");
    }
}
