package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.server.gate.RootKeyStore;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a credential can buy nothing, end to end: the fresh challenge still comes (so clients
 * that pay on a 402 keep working), and error_code says why, so someone who pasted the wrong
 * preimage is not simply asked to pay again.
 */
class RefusalReasonsTest {
    private static final String PHOTO = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "large");
    private static final String OTHER = ApiClient.body(TestResources.bytes("fixtures/inputs/keller.png"), "large");
    private static final String GUESS = "cd".repeat(32);

    @TempDir
    Path dir;
    private TestServer server;
    private ApiClient api;

    @BeforeEach
    void start() {
        server = new TestServer(dir);
        api = new ApiClient(server.base);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private L402Challenge challenge() {
        return ApiClient.challenge(api.post("/api/l402/colorize-image", PHOTO));
    }

    private JsonNode refused(String body, String credential, int status, String code) {
        HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", body, "Authorization", credential);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("X-Error-Code")).hasValue(code);
        assertThat(response.headers().allValues("WWW-Authenticate")).as("a fresh challenge comes with it").hasSize(3);
        JsonNode json = ApiClient.json(response);
        assertThat(json.get("error_code").asText()).isEqualTo(code);
        assertThat(json.get("suggestion").asText()).isNotBlank();
        assertThat(json.get("invoice").asText()).startsWith("lnbcrt");
        return json;
    }

    @Test
    void aWrongPreimageForAPaidInvoiceSaysSoAndSaysNotToPayAgain() {
        L402Challenge c = challenge();
        api.devPay(c.invoice());
        JsonNode json = refused(PHOTO, "L402 " + c.macaroonBase64() + ":" + GUESS, 402, "wrong_preimage");
        assertThat(json.get("suggestion").asText()).contains("do not pay again");
    }

    @Test
    void aPreimageForAnUnpaidInvoiceIsUnpaid() {
        L402Challenge c = challenge();
        refused(PHOTO, "L402 " + c.macaroonBase64() + ":" + GUESS, 402, "unpaid");
    }

    @Test
    void aPaidTokenForAnotherPhotoIsOtherRequest() {
        L402Challenge c = challenge();
        String preimage = api.devPay(c.invoice());
        refused(OTHER, "L402 " + c.macaroonBase64() + ":" + preimage, 402, "other_request");
    }

    @Test
    void aPaidTokenUsedTooLateIsExpired() {
        L402Challenge c = challenge();
        String preimage = api.devPay(c.invoice());
        server.clock.advance(Duration.ofHours(2));
        refused(PHOTO, "L402 " + c.macaroonBase64() + ":" + preimage, 402, "expired");
    }

    @Test
    void aTokenOfARetiredKeyIsUnknownKey() {
        L402Challenge c = challenge();
        String preimage = api.devPay(c.invoice());
        RootKeyStore keys = server.server.parts().keys();
        String old = keys.currentKeyId();
        keys.rotate();
        keys.retire(old);
        refused(PHOTO, "L402 " + c.macaroonBase64() + ":" + preimage, 402, "unknown_key");
    }

    @Test
    void aMalformedCredentialIs401() {
        refused(PHOTO, "L402 not-a-macaroon", 401, "malformed");
    }

    @Test
    void getOnThePaidEndpointIs405WithAllow() {
        HttpResponse<byte[]> response = api.get("/api/l402/colorize-image");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST, OPTIONS");
    }

    @Test
    void asyncAnswersCarryPollHintsAndTheFinishedPollSaysDone() throws Exception {
        String credential = api.buy(PHOTO);
        HttpResponse<byte[]> accepted = api.post("/api/l402/colorize-image", PHOTO, "Authorization", credential,
                "Prefer", "respond-async");
        String jobId;
        if (accepted.statusCode() == 202) {
            assertThat(ApiClient.json(accepted).get("poll_interval_ms").asInt()).isEqualTo(1000);
            assertThat(accepted.headers().firstValue("X-Poll-Interval-Ms")).hasValue("1000");
            assertThat(accepted.headers().firstValue("X-Poll-Url")).isEqualTo(accepted.headers().firstValue("Location"));
            jobId = accepted.headers().firstValue("X-Job-Id").orElseThrow();
        } else {
            jobId = ApiClient.json(accepted).get("job_id").asText();
        }
        HttpResponse<byte[]> poll;
        long deadline = System.currentTimeMillis() + 20_000;
        do {
            Thread.sleep(50);
            poll = api.get("/api/l402/jobs/" + jobId);
        } while (poll.statusCode() == 202 && System.currentTimeMillis() < deadline);
        assertThat(poll.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(poll).get("status").asText()).isEqualTo("done");
    }

    @Test
    void agentsFindTheirWayFromLlmsTxtAndTheApiAlias() {
        String llms = new String(api.get("/llms.txt").body());
        assertThat(llms).contains("Authorization: L402 <macaroon>:<preimage>").contains("large: 5 sats")
                .contains(server.base + "/api/openapi.json");
        assertThat(api.get("/api/openapi.json").body()).isEqualTo(api.get("/openapi.json").body());
    }
}
