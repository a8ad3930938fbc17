package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.testing.NodeScripts;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client nobody here wrote: Alby's 402 helpers (npm @getalby/lightning-tools: fetchWithL402,
 * fetch402, fetchWithMpp) buy a colorization from a running server, then reuse their credential
 * without paying again; fetch402 also over x402 (PAYMENT-REQUIRED / payment-signature).
 */
class AlbyL402ClientTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsNode() {
        NodeScripts.requireInstalled();
    }

    @Test
    void albysFetchWithL402PaysAndGetsTheResult() throws Exception {
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            Path photo = Files.write(dir.resolve("photo.png"), TestResources.bytes("fixtures/inputs/keller.png"));
            JsonNode out = ApiClient.JSON.readTree(NodeScripts.run("alby-fetch402.mjs", "", "fetchWithL402",
                    server.base.toString(), photo.toString(), "large"));
            assertThat(out.get("status").asInt()).as(out.toString()).isEqualTo(200);
            assertThat(out.get("paid").asBoolean()).isTrue();
            assertThat(out.get("amount_sat").asInt()).isEqualTo(5);
            // The Fetch API joins our two challenges; the client answers with the first scheme.
            assertThat(out.get("credential_scheme").asText()).isEqualTo("LSAT");
            assertThat(out.get("result").get("width").asInt()).isEqualTo(77);
            assertThat(out.get("replay_status").asInt()).isEqualTo(200);
            assertThat(out.get("replay_result").get("image_url")).isEqualTo(out.get("result").get("image_url"));
            assertThat(out.get("payments").asInt()).as("the replay did not pay again").isEqualTo(1);
        }
    }

    @Test
    void albysFetchWithL402ReadsTheVersionedTokenForm() throws Exception {
        try (TestServer server = new TestServer(dir.resolve("server"), TestServer.Options.defaults().withPayments(
                new ServerConfig.Payments(true, false, ServerConfig.Payments.L402Header.VERSIONED)))) {
            Path photo = Files.write(dir.resolve("photo.png"), TestResources.bytes("fixtures/inputs/keller.png"));
            JsonNode out = ApiClient.JSON.readTree(NodeScripts.run("alby-fetch402.mjs", "", "fetchWithL402",
                    server.base.toString(), photo.toString(), "tiny"));
            assertThat(out.get("status").asInt()).as(out.toString()).isEqualTo(200);
            assertThat(out.get("credential_scheme").asText()).isEqualTo("L402");
            assertThat(out.get("payments").asInt()).isEqualTo(1);
        }
    }

    @Test
    void albysFetch402RoutesOnTheFirstSchemeAndPaysOnce() throws Exception {
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            JsonNode out = buy(server, "fetch402");
            // LSAT comes first by default, so fetch402 takes the L402 route even though Payment is offered too.
            assertThat(out.get("credential_scheme").asText()).isEqualTo("LSAT");
            assertThat(out.get("receipt").isNull()).isTrue();
        }
    }

    @Test
    void albysFetchWithMppPaysThroughThePaymentScheme() throws Exception {
        // fetchWithMpp needs the Payment challenge first: a server that offers only that scheme.
        try (TestServer server = new TestServer(dir.resolve("server"), TestServer.Options.defaults().withPayments(
                new ServerConfig.Payments(false, true, ServerConfig.Payments.L402Header.CLASSIC)))) {
            JsonNode out = buy(server, "fetchWithMpp");
            assertThat(out.get("credential_scheme").asText()).isEqualTo("Payment");
            assertThat(out.get("receipt").asText()).isNotBlank();
        }
        // fetch402 takes the same route when Payment is the only scheme.
        try (TestServer server = new TestServer(dir.resolve("server2"), TestServer.Options.defaults().withPayments(
                new ServerConfig.Payments(false, true, ServerConfig.Payments.L402Header.CLASSIC)))) {
            assertThat(buy(server, "fetch402").get("credential_scheme").asText()).isEqualTo("Payment");
        }
    }

    @Test
    void albysFetch402PaysOverX402WhenThatIsTheOnlyOffer() throws Exception {
        try (TestServer server = new TestServer(dir.resolve("server"), TestServer.Options.defaults().withPayments(
                new ServerConfig.Payments(false, false, ServerConfig.Payments.L402Header.CLASSIC, true)))) {
            JsonNode out = buy(server, "fetch402");
            assertThat(out.get("credential_header").asText()).isEqualTo("payment-signature");
            JsonNode sent = ApiClient.JSON.readTree(Base64.getDecoder().decode(out.get("credential").asText()));
            assertThat(sent.get("x402Version").asInt()).isEqualTo(2);
            assertThat(sent.get("payload").get("invoice")).isEqualTo(sent.get("accepted").get("extra").get("invoice"));
            assertThat(sent.has("preimage") || sent.get("payload").has("preimage")).isFalse();
            JsonNode settlement = ApiClient.JSON.readTree(Base64.getDecoder().decode(out.get("settlement").asText()));
            assertThat(settlement.get("transaction")).isEqualTo(sent.get("payload").get("invoice"));
            assertThat(server.invoiceCount()).isEqualTo(1);
        }
    }

    @Test
    void albysFetch402StillTakesL402WhenEverySchemeIsOn() throws Exception {
        try (TestServer server = new TestServer(dir.resolve("server"), TestServer.Options.defaults().withPayments(
                new ServerConfig.Payments(true, true, ServerConfig.Payments.L402Header.CLASSIC, true)))) {
            assertThat(buy(server, "fetch402").get("credential_scheme").asText()).isEqualTo("LSAT");
        }
    }

    private JsonNode buy(TestServer server, String helper) throws Exception {
        Path photo = Files.write(dir.resolve("photo-" + helper + ".png"), TestResources.bytes("fixtures/inputs/keller.png"));
        JsonNode out = ApiClient.JSON.readTree(NodeScripts.run("alby-fetch402.mjs", "", helper, server.base.toString(),
                photo.toString(), "tiny"));
        assertThat(out.get("status").asInt()).as(out.toString()).isEqualTo(200);
        assertThat(out.get("paid").asBoolean()).isTrue();
        assertThat(out.get("amount_sat").asInt()).isEqualTo(3);
        assertThat(out.get("replay_status").asInt()).as(out.toString()).isEqualTo(200);
        assertThat(out.get("replay_result").get("image_url")).isEqualTo(out.get("result").get("image_url"));
        assertThat(out.get("payments").asInt()).as("the replay did not pay again").isEqualTo(1);
        return out;
    }
}
