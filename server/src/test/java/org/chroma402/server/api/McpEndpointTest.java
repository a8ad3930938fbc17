package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.testing.NodeScripts;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/mcp}: the official MCP TypeScript SDK (npm @modelcontextprotocol/sdk) buys a
 * colorization through the tools, and the transport answers the protocol's edge cases as the
 * Streamable HTTP transport says.
 */
class McpEndpointTest {
    private static final String JSON = "application/json";
    private static final String ACCEPT = "application/json, text/event-stream";

    @TempDir
    Path dir;

    @Test
    void theOfficialSdkListsToolsGetsAnInvoicePaysAndGetsTheImage() throws Exception {
        NodeScripts.requireInstalled();
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            Path photo = Files.write(dir.resolve("photo.png"), TestResources.bytes("fixtures/inputs/keller.png"));
            JsonNode out = ApiClient.JSON.readTree(NodeScripts.run("mcp-client.mjs", "", "http", server.base.toString(),
                    photo.toString()));
            assertThat(out.get("server").get("name").asText()).isEqualTo("chroma402");
            assertThat(out.get("tools").toString()).contains("list_models", "colorize_image", "get_job");
            assertThat(out.get("models").get("models").get(0).get("model_size").asText()).isEqualTo("large");

            JsonNode unpaid = out.get("unpaid");
            assertThat(unpaid.get("status").asText()).as(unpaid.toString()).isEqualTo("payment_required");
            assertThat(unpaid.get("amount_sats").asInt()).isEqualTo(3);
            assertThat(unpaid.get("invoice").asText()).startsWith("lnbcrt");
            assertThat(unpaid.get("macaroon").asText()).isNotBlank();

            JsonNode paid = out.get("paid");
            assertThat(out.get("paid_is_error").asBoolean()).as(paid.toString()).isFalse();
            assertThat(paid.get("status").asText()).isEqualTo("done");
            assertThat(paid.get("image_url").asText()).startsWith(server.base + "/results/");
            assertThat(out.get("paid_content_types").toString()).contains("text", "image");
            assertThat(out.get("paid_image_bytes").asInt()).isGreaterThan(1000);
            assertThat(out.get("replay").get("image_url")).isEqualTo(paid.get("image_url"));
            assertThat(out.get("wrong_preimage").get("error_code").asText()).isEqualTo("wrong_preimage");
            assertThat(out.get("job").get("status").asText()).isEqualTo("done");
            // One for the purchase, one fresh challenge that came with the wrong-preimage refusal.
            assertThat(server.invoiceCount()).isEqualTo(2);
        }
    }

    /**
     * The SDK's v2 client (npm @modelcontextprotocol/client) pinned to 2026-07-28: no initialize, no
     * session; server/discover, then tools/list, then the same paid call as every other version.
     */
    @Test
    void aClientOf2026_07_28DiscoversListsAndBuysWithoutAHandshake() throws Exception {
        NodeScripts.requireInstalled();
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            Path photo = Files.write(dir.resolve("photo.png"), TestResources.bytes("fixtures/inputs/keller.png"));
            JsonNode out = ApiClient.JSON.readTree(NodeScripts.run("mcp-client-2026.mjs", "", "http",
                    server.base.toString(), photo.toString()));
            assertThat(out.get("negotiated").asText()).as(out.toString()).isEqualTo("2026-07-28");
            assertThat(out.get("discover").get("supportedVersions").get(0).asText()).isEqualTo("2026-07-28");
            assertThat(out.get("discover").get("capabilities").has("tools")).isTrue();
            assertThat(out.get("tools").toString()).contains("list_models", "colorize_image", "get_job");

            JsonNode unpaid = out.get("unpaid");
            assertThat(unpaid.get("status").asText()).as(unpaid.toString()).isEqualTo("payment_required");
            assertThat(unpaid.get("invoice").asText()).startsWith("lnbcrt");
            JsonNode paid = out.get("paid");
            assertThat(out.get("paid_is_error").asBoolean()).as(paid.toString()).isFalse();
            assertThat(paid.get("status").asText()).isEqualTo("done");
            assertThat(out.get("paid_image_bytes").asInt()).isGreaterThan(1000);
            assertThat(server.invoiceCount()).isEqualTo(1);

            // What went over the wire: no initialize, no session, every POST with the 2026 headers.
            JsonNode wire = out.get("wire");
            assertThat(wire.toString()).doesNotContain("\"initialize\"");
            assertThat(wire.findValuesAsText("method")).contains("server/discover", "tools/list", "tools/call");
            for (JsonNode post : wire) {
                assertThat(post.get("status").asInt()).as(post.toString()).isEqualTo(200);
                assertThat(post.get("protocol_version").asText()).isEqualTo("2026-07-28");
                assertThat(post.get("mcp_method").asText()).isEqualTo(post.get("method").asText());
                assertThat(post.get("session").isNull()).isTrue();
            }
        }
    }

    @Test
    void requestsOf2026_07_28AreCheckedAndAnsweredAsThatRevisionSays() throws Exception {
        try (TestServer server = new TestServer(dir)) {
            ApiClient api = new ApiClient(server.base);
            String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                    + "\"io.modelcontextprotocol/clientCapabilities\":{}}";
            String list = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{" + meta + "}}";
            JsonNode tools = modern(api, list, 200, "Mcp-Method", "tools/list").get("result");
            assertThat(tools.get("resultType").asText()).isEqualTo("complete");
            assertThat(tools.get("cacheScope").asText()).isEqualTo("public");
            assertThat(tools.get("ttlMs").asLong()).isPositive();
            assertThat(tools.get("_meta").get("io.modelcontextprotocol/serverInfo").get("name").asText()).isEqualTo("chroma402");

            // Headers that say other than the body, or none: HeaderMismatch, 400.
            assertThat(modern(api, list, 400, "Mcp-Method", "tools/call").get("error").get("code").asInt()).isEqualTo(-32020);
            // Repeated with another value: whichever copy a proxy reads, the request is refused.
            assertThat(modern(api, list, 400, "Mcp-Method", "tools/list", "Mcp-Method", "tools/call").get("error").get("code")
                    .asInt()).isEqualTo(-32020);
            assertThat(modern(api, list, 400).get("error").get("code").asInt()).isEqualTo(-32020);
            assertThat(rpc(api, list, 400).get("error").get("code").asInt()).as("no MCP-Protocol-Version").isEqualTo(-32020);
            String call = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"list_models\","
                    + "\"arguments\":{}," + meta + "}}";
            assertThat(modern(api, call, 400, "Mcp-Method", "tools/call", "Mcp-Name", "get_job").get("error").get("message")
                    .asText()).contains("Mcp-Name", "get_job", "list_models");
            JsonNode models = modern(api, call, 200, "Mcp-Method", "tools/call", "Mcp-Name", "=?base64?bGlzdF9tb2RlbHM=?=");
            assertThat(models.get("result").get("resultType").asText()).isEqualTo("complete");
            assertThat(models.get("result").get("structuredContent").get("models").size()).isPositive();

            // An unknown version: 400 with the versions we speak, so the client retries rather than falls back.
            String future = list.replace("2026-07-28", "2099-01-01");
            JsonNode unsupported = ApiClient.json(api.post("/api/mcp", future, "Accept", ACCEPT, "MCP-Protocol-Version",
                    "2099-01-01", "Mcp-Method", "tools/list"));
            assertThat(unsupported.get("error").get("code").asInt()).isEqualTo(-32022);
            assertThat(unsupported.get("error").get("data").get("supported").toString()).contains("2026-07-28", "2025-11-25");
            assertThat(unsupported.get("error").get("data").get("requested").asText()).isEqualTo("2099-01-01");

            // ping is gone in 2026-07-28: method not found, which that revision answers with 404.
            String ping = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\",\"params\":{" + meta + "}}";
            assertThat(modern(api, ping, 404, "Mcp-Method", "ping").get("error").get("code").asInt()).isEqualTo(-32601);
            String noCapabilities = list.replace(",\"io.modelcontextprotocol/clientCapabilities\":{}", "");
            assertThat(modern(api, noCapabilities, 200, "Mcp-Method", "tools/list").get("error").get("code").asInt())
                    .isEqualTo(-32602);

            // The same endpoint still serves a 2025-11-25 client as before, with no 2026 fields.
            HttpResponse<byte[]> old = api.post("/api/mcp", "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}",
                    "Accept", ACCEPT, "MCP-Protocol-Version", "2025-11-25");
            assertThat(old.statusCode()).as(new String(old.body())).isEqualTo(200);
            JsonNode legacy = ApiClient.json(old);
            assertThat(legacy.get("result").has("resultType")).isFalse();
            assertThat(legacy.get("result").get("tools").size()).isEqualTo(tools.get("tools").size());
        }
    }

    /** A 2026-07-28 POST: the version header, the given headers, and the body; checks the status. */
    private static JsonNode modern(ApiClient api, String body, int status, String... headers) {
        String[] all = new String[headers.length + 4];
        all[0] = "Accept";
        all[1] = ACCEPT;
        all[2] = "MCP-Protocol-Version";
        all[3] = "2026-07-28";
        System.arraycopy(headers, 0, all, 4, headers.length);
        HttpResponse<byte[]> response = api.post("/api/mcp", body, all);
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(status);
        return ApiClient.json(response);
    }

    @Test
    void theTransportAnswersEdgeCasesAsTheSpecificationSays() throws Exception {
        try (TestServer server = new TestServer(dir)) {
            ApiClient api = new ApiClient(server.base);
            HttpResponse<byte[]> get = api.get("/api/mcp", "Accept", "text/event-stream");
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.headers().firstValue("Allow")).hasValue("POST, OPTIONS");

            HttpResponse<byte[]> notification = api.post("/api/mcp",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", "Accept", ACCEPT);
            assertThat(notification.statusCode()).isEqualTo(202);
            assertThat(notification.body()).isEmpty();

            JsonNode init = rpc(api, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                    + "{\"protocolVersion\":\"2099-01-01\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}", 200);
            assertThat(init.get("result").get("protocolVersion").asText()).as("the newest we speak").isEqualTo("2025-11-25");
            assertThat(init.get("id").asInt()).isEqualTo(1);

            assertThat(rpc(api, "not json", 400).get("error").get("code").asInt()).isEqualTo(-32700);
            assertThat(rpc(api, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", 200).get("error").get("code").asInt())
                    .isEqualTo(-32600);
            assertThat(rpc(api, "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"resources/list\"}", 200)
                    .get("error").get("code").asInt()).isEqualTo(-32601);
            assertThat(rpc(api, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"rm\"}}", 200)
                    .get("error").get("code").asInt()).isEqualTo(-32602);

            // A bad photo is a tool error with the API's own error code, and no invoice.
            JsonNode bad = rpc(api, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"colorize_image\",\"arguments\":{\"image\":\"aGVsbG8=\"}}}", 200).get("result");
            assertThat(bad.get("isError").asBoolean()).isTrue();
            assertThat(bad.get("structuredContent").get("error_code").asText()).isEqualTo("invalid_image");
            JsonNode size = rpc(api, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"colorize_image\",\"arguments\":{\"image\":\"" + java.util.Base64.getEncoder().encodeToString(
                            TestResources.bytes("fixtures/inputs/keller.png")) + "\",\"input_size\":1024}}}", 200).get("result");
            assertThat(size.get("structuredContent").get("error_code").asText()).isEqualTo("invalid_input_size");
            assertThat(server.invoiceCount()).isZero();

            // DNS rebinding: a page on another origin may not drive the tools (the default allows none).
            HttpResponse<byte[]> foreign = new ApiClient(server.base).post("/api/mcp",
                    "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}", "Origin", "http://evil.example");
            assertThat(foreign.statusCode()).as("TestServer allows any origin (cors *)").isEqualTo(200);
        }
        try (TestServer strict = new TestServer(dir.resolve("strict"), TestServer.Options.defaults()
                .withListening(l -> new org.chroma402.server.config.ServerConfig.Listening(l.host(), l.port(), l.publicUrl(),
                        java.util.List.of(), l.trustProxy(), l.proxyHops(), l.allowedHosts())))) {
            HttpResponse<byte[]> foreign = new ApiClient(strict.base).post("/api/mcp",
                    "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}", "Origin", "http://evil.example");
            assertThat(foreign.statusCode()).isEqualTo(403);
            HttpResponse<byte[]> own = new ApiClient(strict.base).post("/api/mcp",
                    "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}", "Origin", strict.base.toString());
            assertThat(own.statusCode()).isEqualTo(200);
            // DNS rebinding: the attacker's name in both Host and Origin (the JDK client cannot set Host).
            int port = strict.base.getPort();
            assertThat(rawMcpPing(port, "evil.example:" + port, "http://evil.example:" + port)).startsWith("HTTP/1.1 403");
            assertThat(rawMcpPing(port, "localhost:" + port, "http://localhost:" + port)).startsWith("HTTP/1.1 200");
            assertThat(rawMcpPing(port, "127.0.0.1:" + port, "http://127.0.0.1:" + (port + 1))).startsWith("HTTP/1.1 403");
        }
    }

    /** A ping to /api/mcp with the given Host and Origin over a plain socket; returns the status line onwards. */
    private static String rawMcpPing(int port, String host, String origin) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/mcp HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin
                    + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void unpaidToolCallsCountAgainstTheSameInvoiceLimitAsTheHttpApi() throws Exception {
        try (TestServer server = new TestServer(dir, TestServer.Options.defaults().withRate(60, 2))) {
            ApiClient api = new ApiClient(server.base);
            String image = java.util.Base64.getEncoder().encodeToString(TestResources.bytes("fixtures/inputs/keller.png"));
            assertThat(api.post("/api/l402/colorize-image", ApiClient.body(TestResources.bytes("fixtures/inputs/keller.png"),
                    "tiny")).statusCode()).isEqualTo(402);
            String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"colorize_image\",\"arguments\":{\"image\":\"" + image + "\",\"model_size\":\"tiny\"}}}";
            JsonNode second = rpc(api, call, 200).get("result");
            assertThat(second.get("structuredContent").get("status").asText()).isEqualTo("payment_required");
            JsonNode third = rpc(api, call, 200).get("result");
            assertThat(third.get("isError").asBoolean()).isTrue();
            assertThat(third.get("structuredContent").get("error_code").asText()).isEqualTo("rate_limited");
            assertThat(third.get("structuredContent").get("retry_after_seconds").asLong()).isPositive();
            assertThat(server.invoiceCount()).isEqualTo(2);
        }
    }

    private static JsonNode rpc(ApiClient api, String body, int status) {
        HttpResponse<byte[]> response = api.post("/api/mcp", body, "Accept", ACCEPT);
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith(JSON);
        return ApiClient.json(response);
    }

    /** A paid result larger than the inline cap comes back as its URL, not as 10+ MB of base64 per free call. */
    @Test
    void aLargeResultIsReturnedAsItsUrlNotInline() throws Exception {
        java.awt.image.BufferedImage photo = new java.awt.image.BufferedImage(1600, 1600,
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        new java.util.Random(5).nextBytes(((java.awt.image.DataBufferByte) photo.getRaster().getDataBuffer()).getData());
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(photo, "jpeg", jpeg);
        try (TestServer server = new TestServer(dir)) {
            ApiClient api = new ApiClient(server.base);
            String image = java.util.Base64.getEncoder().encodeToString(jpeg.toByteArray());
            String credential = api.buy(ApiClient.body(jpeg.toByteArray(), "tiny"));
            JsonNode done = rpc(api, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"colorize_image\",\"arguments\":{\"image\":\"" + image + "\",\"model_size\":\"tiny\","
                    + "\"authorization\":\"" + credential + "\",\"return_image\":true}}}", 200).get("result");
            assertThat(done.get("structuredContent").get("status").asText()).as(done.toString()).isEqualTo("done");
            assertThat(done.get("structuredContent").get("image_omitted").asText()).contains("MiB", "image_url");
            assertThat(done.get("content").toString()).doesNotContain("\"type\":\"image\"");
            String jobId = done.get("structuredContent").get("job_id").asText();
            JsonNode job = rpc(api, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"get_job\",\"arguments\":{\"job_id\":\"" + jobId + "\",\"return_image\":true}}}", 200).get("result");
            assertThat(job.get("structuredContent").has("image_omitted")).isTrue();
            assertThat(job.toString().length()).isLessThan(10_000);
        }
    }
}
