package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import org.chroma402.colorize.pipeline.SessionSettings;
import org.chroma402.colorize.testing.HostileImages;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prices by cost, over HTTP: the default request costs the listed price, larger renders and very
 * large photos a multiple of it by the public rule; the invoice is for exactly that amount, the 402
 * says why, and a token bought at a lower price does not buy the dearer request.
 */
class PricingTest {
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

    @Test
    void theDefaultRequestCostsTheListedPrice() throws Exception {
        server = new TestServer(dir);
        ApiClient api = new ApiClient(server.base);
        HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", ApiClient.body(PHOTO, "large"));
        assertThat(challenge.statusCode()).isEqualTo(402);
        JsonNode body = ApiClient.json(challenge);
        assertThat(body.path("amount_sats").asLong()).isEqualTo(5);
        assertThat(invoiceSats(challenge)).isEqualTo(5);
        assertThat(body.path("price_factors").path("multiple").asLong()).isEqualTo(1);
        assertThat(body.path("price_factors").path("base_sats").asLong()).isEqualTo(5);
    }

    @Test
    void aThirtyMegapixelPhotoCostsThreeTimesTheListedPrice() throws Exception {
        server = new TestServer(dir);
        ApiClient api = new ApiClient(server.base);
        byte[] big = HostileImages.greyPng(6000, 5000);
        HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", ApiClient.body(big, "large"));
        assertThat(challenge.statusCode()).as(new String(challenge.body())).isEqualTo(402);
        JsonNode body = ApiClient.json(challenge);
        assertThat(body.path("amount_sats").asLong()).isEqualTo(15);
        assertThat(body.path("amount_msat").asLong()).isEqualTo(15_000);
        assertThat(invoiceSats(challenge)).as("the invoice is for the rule's price").isEqualTo(15);
        JsonNode factors = body.path("price_factors");
        assertThat(factors.path("megapixels").asDouble()).isEqualTo(30.0);
        assertThat(factors.path("photo_extra").asInt()).isEqualTo(2);
        assertThat(factors.path("render_extra").asInt()).isZero();
    }

    @Test
    void aRenderAt1024CostsFourTimesAndACheaperTokenDoesNotBuyIt() throws Exception {
        server = new TestServer(dir, new TestServer.Options().withModel(TestResources.anySizeModel(),
                new SessionSettings(0, 1, false, 0, 256)));
        ApiClient api = new ApiClient(server.base);
        String at512 = withSize(512);
        String at1024 = withSize(1024);

        HttpResponse<byte[]> cheap = api.post("/api/l402/colorize-image", at512);
        assertThat(ApiClient.json(cheap).path("amount_sats").asLong()).isEqualTo(3);
        L402Challenge paidCheap = ApiClient.challenge(cheap);
        String credential = "L402 " + paidCheap.macaroonBase64() + ":" + api.devPay(paidCheap.invoice());

        HttpResponse<byte[]> refused = api.post("/api/l402/colorize-image", at1024, "Authorization", credential);
        assertThat(refused.statusCode()).as("a 3-sat token does not buy the 12-sat render").isEqualTo(402);
        JsonNode body = ApiClient.json(refused);
        assertThat(body.path("error_code").asText()).isEqualTo("other_request");
        assertThat(body.path("amount_sats").asLong()).isEqualTo(12);
        assertThat(invoiceSats(refused)).isEqualTo(12);
        assertThat(body.path("price_factors").path("input_size").asInt()).isEqualTo(1024);
        assertThat(body.path("price_factors").path("render_extra").asInt()).isEqualTo(3);
        assertThat(body.path("price_factors").path("multiple").asInt()).isEqualTo(4);
    }

    @Test
    void theModelsListStatesTheRule() throws Exception {
        server = new TestServer(dir);
        ApiClient api = new ApiClient(server.base);
        JsonNode rule = ApiClient.json(api.get("/api/l402/models")).path("price_rule");
        assertThat(rule.path("price").asText()).isEqualTo("price_sats × (1 + render_extra + photo_extra)");
        assertThat(rule.path("render_extra").toString())
                .isEqualTo("[{\"input_size_up_to\":512,\"extra\":0},{\"input_size_up_to\":768,\"extra\":1},"
                        + "{\"input_size_up_to\":1024,\"extra\":3}]");
        assertThat(rule.path("photo_extra_megapixels_step").asInt()).isEqualTo(12);
    }

    private static long invoiceSats(HttpResponse<byte[]> challenge) throws Exception {
        return Bolt11Decoder.decode(ApiClient.challenge(challenge).invoice()).amountMsat().orElseThrow() / 1000;
    }

    private static String withSize(int size) {
        ObjectNode body = JsonBodies.MAPPER.createObjectNode();
        body.put("image", Base64.getEncoder().encodeToString(PHOTO));
        body.put("model_size", "tiny");
        body.put("input_size", size);
        return body.toString();
    }
}
