package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import org.chroma402.colorize.pipeline.SessionSettings;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.server.persistence.JdbcJobStore;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The optional {@code input_size} (render resolution, 256–1024 in steps of 32): checked before
 * any invoice, bound into the token like {@code model_size}, and what the paid job renders at.
 */
class InputSizeTest {
    private static final byte[] PHOTO = TestResources.bytes("fixtures/inputs/keller.png");

    @TempDir
    Path dir;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ApiClient dynamicServer() {
        server = new TestServer(dir, new TestServer.Options().withModel(TestResources.anySizeModel(),
                new SessionSettings(0, 1, false, 0, 256)));
        return new ApiClient(server.base);
    }

    @ParameterizedTest
    @ValueSource(strings = {"255", "1056", "300", "\"512\"", "512.5", "-512", "99999999999"})
    void sizesOutsideTheOfficialRangeAreRefusedBeforeAnyInvoice(String size) throws Exception {
        ApiClient api = dynamicServer();
        ObjectNode body = (ObjectNode) ApiClient.JSON.readTree(ApiClient.body(PHOTO, "tiny"));
        body.set("input_size", ApiClient.JSON.readTree(size));
        HttpResponse<byte[]> refused = api.post("/api/l402/colorize-image", body.toString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(refused).path("error_code").asText()).isEqualTo("invalid_input_size");
        assertThat(server.invoiceCount()).isZero();
    }

    @Test
    void aPaidTokenBuysTheSizeItWasIssuedForAndTheJobRendersAtIt() throws Exception {
        ApiClient api = dynamicServer();
        String at320 = withSize(320);
        HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", at320);
        assertThat(challenge.statusCode()).isEqualTo(402);
        L402Challenge l402 = ApiClient.challenge(challenge);
        String credential = "L402 " + l402.macaroonBase64() + ":" + api.devPay(l402.invoice());

        for (String other : new String[] {withSize(352), ApiClient.body(PHOTO, "tiny")}) {
            HttpResponse<byte[]> refused = api.post("/api/l402/colorize-image", other, "Authorization", credential);
            assertThat(refused.statusCode()).as("a token for 320 does not buy another render size").isEqualTo(402);
        }
        HttpResponse<byte[]> done = api.post("/api/l402/colorize-image", at320, "Authorization", credential);
        assertThat(done.statusCode()).isEqualTo(200);
        JsonNode result = ApiClient.json(done);
        var job = new JdbcJobStore(server.database).findById(result.path("job_id").asText()).orElseThrow();
        assertThat(job.inputSize()).isEqualTo(320);
    }

    @Test
    void aModelWithAFixedSizeRefusesOtherSizesWithItsOwn() {
        server = new TestServer(dir);
        ApiClient api = new ApiClient(server.base);
        HttpResponse<byte[]> refused = api.post("/api/l402/colorize-image", withSize(512));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(new String(refused.body())).contains("renders only at 64");
        assertThat(server.invoiceCount()).isZero();
    }

    private static String withSize(int size) {
        ObjectNode body = JsonBodies.MAPPER.createObjectNode();
        body.put("image", Base64.getEncoder().encodeToString(PHOTO));
        body.put("model_size", "tiny");
        body.put("input_size", size);
        return body.toString();
    }
}
