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
    void errorCodesListEveryCodeTheServerCanAnswer() {
        JsonNode list = ApiClient.json(api.get("/api/error-codes")).get("error_codes");
        assertThat(list).hasSize(ErrorCode.values().length);
        java.util.Map<String, JsonNode> byCode = new java.util.HashMap<>();
        list.forEach(e -> byCode.put(e.get("error_code").asText(), e));
        for (ErrorCode code : ErrorCode.values()) {
            JsonNode e = byCode.get(code.code());
            assertThat(e).as(code.code()).isNotNull();
            assertThat(e.get("http_status").asInt()).isEqualTo(code.status());
            assertThat(e.get("meaning").asText()).isNotBlank();
            assertThat(e.get("suggestion").asText()).isNotBlank();
        }
        // The refusal reasons of the 402 are among them, marked as coming with a fresh challenge.
        for (String code : new String[] {"payment_required", "malformed", "wrong_preimage", "unpaid", "expired",
                "other_request", "unknown_key"}) {
            assertThat(byCode.get(code).get("fresh_challenge").asBoolean()).as(code).isTrue();
        }
        // What an error answer says is in the list (a 404 here).
        String seen = ApiClient.json(api.get("/api/nothing-here")).get("error_code").asText();
        assertThat(byCode).containsKey(seen);
    }

    @Test
    void l402ServicesDescribesThePaidEndpoint() {
        JsonNode services = ApiClient.json(api.get("/.well-known/l402-services"));
        JsonNode colorize = services.get("services").get(0);
        assertThat(colorize.get("url").asText()).isEqualTo(server.base + "/api/l402/colorize-image");
        assertThat(colorize.get("pricing").get("large").asInt()).isEqualTo(5);
        assertThat(colorize.get("pricing").get("tiny").asInt()).isEqualTo(3);
        assertThat(colorize.get("schemes").toString()).contains("L402", "Payment");
        assertThat(services.get("documentation").get("mcp").asText()).endsWith("/api/mcp");
        assertThat(ApiClient.json(api.get("/api/openapi.json")).get("paths").has("/api/mcp")).isTrue();
        String llms = new String(api.get("/llms.txt").body());
        assertThat(llms).contains("/api/mcp", "/api/error-codes", "Authorization: Payment");
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
