package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.l402.payment.Base64Url;
import org.chroma402.l402.payment.ChargeRequest;
import org.chroma402.l402.payment.PaymentChallenge;
import org.chroma402.l402.payment.PaymentCredential;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP {@code Payment} scheme and the 2026 L402 header form, end to end over loopback: which
 * challenges a 402 carries and in which order, credentials in the draft's form and in the public
 * API's documented form, the same once-only and request-bound rules as L402, and the switches.
 */
class PaymentSchemeTest {
    private static final String PHOTO = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "tiny");
    private static final String OTHER = ApiClient.body(TestResources.bytes("fixtures/inputs/keller.png"), "tiny");

    @TempDir
    Path dir;

    private static PaymentChallenge paymentChallenge(HttpResponse<byte[]> response) throws Exception {
        return PaymentChallenge.parseLightningCharge(String.join(", ", response.headers().allValues("WWW-Authenticate")));
    }

    @Test
    void theDefault402OffersLsatThenL402ThenTheSameInvoiceAsAPaymentCharge() throws Exception {
        try (TestServer server = new TestServer(dir)) {
            ApiClient api = new ApiClient(server.base);
            HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", PHOTO);
            List<String> values = response.headers().allValues("WWW-Authenticate");
            assertThat(values).hasSize(3);
            assertThat(values.get(0)).startsWith("LSAT macaroon=\"");
            assertThat(values.get(1)).startsWith("L402 macaroon=\"");
            assertThat(values.get(2)).startsWith("Payment id=\"");
            JsonNode body = ApiClient.json(response);
            PaymentChallenge charge = paymentChallenge(response);
            assertThat(charge.method()).isEqualTo("lightning");
            assertThat(charge.intent()).isEqualTo("charge");
            assertThat(charge.expires()).isEqualTo(java.time.Instant.parse(body.get("expires_at").asText())
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            ChargeRequest request = ChargeRequest.decode(charge.request());
            assertThat(request.invoice()).isEqualTo(body.get("invoice").asText());
            assertThat(request.paymentHash()).isEqualTo(body.get("payment_hash").asText());
            assertThat(request.amount()).isEqualTo("3");
            assertThat(request.currency()).isEqualTo("sat");
            assertThat(request.network()).isEqualTo("regtest");
            // The body repeats the charge for clients that read bodies.
            assertThat(body.get("payment_challenge").get("id").asText()).isEqualTo(charge.id());
        }
    }

    @Test
    void aPaymentCredentialBuysTheRequestOnceAndReplaysTheSameResult() throws Exception {
        try (TestServer server = new TestServer(dir)) {
            ApiClient api = new ApiClient(server.base);
            HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", PHOTO);
            PaymentChallenge charge = paymentChallenge(challenge);
            String preimage = api.devPay(ChargeRequest.decode(charge.request()).invoice());
            String credential = PaymentCredential.of(charge, preimage).format();

            HttpResponse<byte[]> paid = api.post("/api/l402/colorize-image", PHOTO, "Authorization", credential);
            assertThat(paid.statusCode()).as(new String(paid.body())).isEqualTo(200);
            JsonNode receipt = ApiClient.JSON.readTree(Base64Url.decode(paid.headers().firstValue("Payment-Receipt").orElseThrow()));
            assertThat(receipt.get("status").asText()).isEqualTo("success");
            assertThat(receipt.get("method").asText()).isEqualTo("lightning");
            assertThat(receipt.get("reference").asText()).isEqualTo(ApiClient.json(challenge).get("payment_hash").asText());
            assertThat(receipt.get("challengeId").asText()).isEqualTo(charge.id());

            HttpResponse<byte[]> replay = api.post("/api/l402/colorize-image", PHOTO, "Authorization", credential);
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(ApiClient.json(replay).get("image_url")).isEqualTo(ApiClient.json(paid).get("image_url"));
            // The L402 credential of the same payment is the same purchase: same job, no second charge.
            String l402 = "L402 " + ApiClient.challenge(challenge).macaroonBase64() + ":" + preimage;
            HttpResponse<byte[]> same = api.post("/api/l402/colorize-image", PHOTO, "Authorization", l402);
            assertThat(ApiClient.json(same).get("job_id")).isEqualTo(ApiClient.json(paid).get("job_id"));

            // Bound to the request: another photo with the same credential buys nothing.
            HttpResponse<byte[]> other = api.post("/api/l402/colorize-image", OTHER, "Authorization", credential);
            assertThat(other.statusCode()).isEqualTo(402);
            assertThat(other.headers().firstValue("X-Error-Code")).hasValue("other_request");
        }
    }

    @Test
    void thePublicApisDocumentedFormEchoesTheIdAndTheMacaroon() throws Exception {
        try (TestServer server = new TestServer(dir)) {
            ApiClient api = new ApiClient(server.base);
            HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", PHOTO);
            JsonNode body = ApiClient.json(challenge);
            String preimage = api.devPay(body.get("invoice").asText());
            String json = "{\"challenge\":{\"id\":\"" + body.get("payment_challenge").get("id").asText() + "\",\"macaroon\":\""
                    + body.get("macaroon").asText() + "\"},\"payload\":{\"preimage\":\"" + preimage + "\"}}";
            String credential = "Payment " + Base64Url.encode(json.getBytes(StandardCharsets.UTF_8));
            HttpResponse<byte[]> paid = api.post("/api/l402/colorize-image", PHOTO, "Authorization", credential);
            assertThat(paid.statusCode()).as(new String(paid.body())).isEqualTo(200);
        }
    }

    @Test
    void everyPaymentCredentialThatBuysNothingSaysWhy() throws Exception {
        try (TestServer server = new TestServer(dir)) {
            ApiClient api = new ApiClient(server.base);
            HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", PHOTO);
            PaymentChallenge charge = paymentChallenge(challenge);
            String invoice = ChargeRequest.decode(charge.request()).invoice();
            String guess = "cd".repeat(32);
            assertRefused(api, PaymentCredential.of(charge, guess).format(), 402, "unpaid");
            String preimage = api.devPay(invoice);
            assertRefused(api, PaymentCredential.of(charge, guess).format(), 402, "wrong_preimage");
            // An id this server did not bind to these parameters, and an echo pointing at nothing.
            assertRefused(api, PaymentCredential.of(charge.withId("forged"), preimage).format(), 402, "unknown_key");
            String elsewhere = ChargeRequest.sats(3, null, invoice, "ee".repeat(32), null).encode();
            assertRefused(api, PaymentCredential.of(new PaymentChallenge(charge.id(), charge.realm(), charge.method(),
                    charge.intent(), elsewhere, charge.expires(), null, null, null), preimage).format(), 402, "unknown_key");
            // The genuine id beside parameters it was not issued with: another realm, expiry or amount.
            assertRefused(api, PaymentCredential.of(new PaymentChallenge(charge.id(), "elsewhere", charge.method(),
                    charge.intent(), charge.request(), charge.expires(), null, null, null), preimage).format(), 402, "unknown_key");
            assertRefused(api, PaymentCredential.of(new PaymentChallenge(charge.id(), charge.realm(), charge.method(),
                    charge.intent(), charge.request(), "2099-01-01T00:00:00Z", null, null, null), preimage).format(), 402,
                    "unknown_key");
            ChargeRequest genuine = ChargeRequest.decode(charge.request());
            String cheaper = ChargeRequest.sats(1, null, invoice, genuine.paymentHash(), null).encode();
            assertRefused(api, PaymentCredential.of(new PaymentChallenge(charge.id(), charge.realm(), charge.method(),
                    charge.intent(), cheaper, charge.expires(), null, null, null), preimage).format(), 402, "unknown_key");
            // Malformed: 401, still with a fresh challenge.
            assertRefused(api, "Payment !!!", 401, "malformed");
            assertRefused(api, "Payment " + Base64Url.encode("{\"challenge\":{\"id\":\"x\"},\"payload\":{}}".getBytes()), 401,
                    "malformed");
            assertRefused(api, PaymentCredential.of(new PaymentChallenge(charge.id(), charge.realm(), charge.method(),
                    "session", charge.request(), charge.expires(), null, null, null), preimage).format(), 401, "malformed");
            // And the right one still works afterwards.
            HttpResponse<byte[]> paid = api.post("/api/l402/colorize-image", PHOTO, "Authorization",
                    PaymentCredential.of(charge, preimage).format());
            assertThat(paid.statusCode()).isEqualTo(200);
        }
    }

    private static void assertRefused(ApiClient api, String credential, int status, String code) {
        HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", PHOTO, "Authorization", credential);
        assertThat(response.statusCode()).as(credential).isEqualTo(status);
        assertThat(response.headers().firstValue("X-Error-Code")).as(credential).hasValue(code);
        assertThat(response.headers().allValues("WWW-Authenticate")).hasSize(3);
    }

    @Test
    void theSchemesAndTheL402FormAreSwitchable() throws Exception {
        Map<ServerConfig.Payments, List<String>> expected = Map.of(
                new ServerConfig.Payments(true, false, ServerConfig.Payments.L402Header.CLASSIC),
                List.of("LSAT macaroon=", "L402 macaroon="),
                new ServerConfig.Payments(true, true, ServerConfig.Payments.L402Header.VERSIONED),
                List.of("L402 version=\"0\", token=", "Payment id="),
                new ServerConfig.Payments(true, false, ServerConfig.Payments.L402Header.BOTH),
                List.of("LSAT macaroon=", "L402 macaroon=", "L402 version=\"0\", token="),
                new ServerConfig.Payments(false, true, ServerConfig.Payments.L402Header.CLASSIC),
                List.of("Payment id="));
        int n = 0;
        for (Map.Entry<ServerConfig.Payments, List<String>> e : expected.entrySet()) {
            try (TestServer server = new TestServer(dir.resolve("s" + n++), TestServer.Options.defaults().withPayments(e.getKey()))) {
                ApiClient api = new ApiClient(server.base);
                HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", PHOTO);
                List<String> values = response.headers().allValues("WWW-Authenticate");
                assertThat(values).as(e.getKey().toString()).hasSize(e.getValue().size());
                for (int i = 0; i < values.size(); i++) {
                    assertThat(values.get(i)).as(e.getKey().toString()).startsWith(e.getValue().get(i));
                }
                JsonNode body = ApiClient.json(response);
                String preimage = api.devPay(body.get("invoice").asText());
                String l402 = "L402 " + body.get("macaroon").asText() + ":" + preimage;
                HttpResponse<byte[]> withL402 = api.post("/api/l402/colorize-image", PHOTO, "Authorization", l402);
                assertThat(withL402.statusCode()).as("L402 credential with " + e.getKey())
                        .isEqualTo(e.getKey().l402() ? 200 : 402);
                if (e.getKey().l402Header() != ServerConfig.Payments.L402Header.CLASSIC) {
                    // The versioned line carries the same token, read as a 2026 client reads it.
                    String versioned = values.stream().filter(v -> v.contains("token=")).findFirst().orElseThrow();
                    assertThat(L402Challenge.parse(versioned).macaroonBase64()).isEqualTo(body.get("macaroon").asText());
                }
                if (!e.getKey().paymentScheme()) {
                    assertThat(body.has("payment_challenge")).isFalse();
                    String json = "{\"challenge\":{\"id\":\"x\",\"macaroon\":\"" + body.get("macaroon").asText()
                            + "\"},\"payload\":{\"preimage\":\"" + preimage + "\"}}";
                    HttpResponse<byte[]> withPayment = api.post("/api/l402/colorize-image", PHOTO, "Authorization",
                            "Payment " + Base64Url.encode(json.getBytes(StandardCharsets.UTF_8)));
                    assertThat(withPayment.statusCode()).isEqualTo(402);
                    assertThat(withPayment.headers().firstValue("X-Error-Code")).hasValue("payment_required");
                }
            }
        }
    }
}
