package org.chroma402.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.testing.NodeScripts;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chroma402 mcp}, driven by the official MCP TypeScript SDK's stdio client as an agent's
 * host would: it buys colorizations of local files within the session budget, never pays twice,
 * and reports the spend.
 */
class McpStdioTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void anAgentColorizesLocalFilesWithinItsBudgetAndNeverPaysTwice() throws Exception {
        NodeScripts.requireInstalled();
        Path model = TestResources.tinyModel();
        Path config = Files.writeString(dir.resolve("chroma402.yaml"), """
                data-dir: %s
                models:
                  dir: %s
                """.formatted(dir.resolve("data"), model.getParent()));
        Path a = Files.write(dir.resolve("a.png"), TestResources.bytes("fixtures/inputs/buffalo.png"));
        Path b = Files.write(dir.resolve("b.png"), TestResources.bytes("fixtures/inputs/keller.png"));
        Path out = dir.resolve("colored");
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            String calls = JSON.writeValueAsString(JSON.readTree("""
                    [{"name": "list_models", "arguments": {}},
                     {"name": "colorize_files", "arguments": {"paths": ["%1$s"], "output": "%3$s"}},
                     {"name": "colorize_files", "arguments": {"paths": ["%1$s"], "output": "%3$s"}},
                     {"name": "colorize_files", "arguments": {"paths": ["%2$s"], "output": "%3$s"}},
                     {"name": "colorize_files", "arguments": {"paths": ["%4$s"]}},
                     {"name": "spend_report", "arguments": {}}]
                    """.formatted(a, b, out, dir.resolve("missing.png"))));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            JsonNode result = JSON.readTree(NodeScripts.run("mcp-client.mjs", "", "stdio", java, "-cp",
                    System.getProperty("java.class.path"), "org.chroma402.app.Main", "mcp", "-c", config.toString(),
                    "--server", server.base.toString(), "--budget", "5", "--", calls));
            assertThat(result.get("server").get("name").asText()).isEqualTo("chroma402-client");
            assertThat(result.get("tools").toString()).contains("colorize_files", "spend_report", "list_models");
            JsonNode c = result.get("calls");
            assertThat(c.get(0).get("structured").get("models").get(0).get("price_sats").asInt()).isEqualTo(5);

            JsonNode first = c.get(1).get("structured");
            assertThat(first.get("colorized").asInt()).as(first.toString()).isEqualTo(1);
            assertThat(first.get("paid_sats").asInt()).isEqualTo(5);
            assertThat(out.resolve("a-color.png")).isRegularFile();

            JsonNode again = c.get(2).get("structured");
            assertThat(again.get("skipped").asInt()).as("already there: nothing bought").isEqualTo(1);
            assertThat(again.get("paid_sats").asInt()).isZero();

            JsonNode over = c.get(3).get("structured");
            assertThat(over.get("not_bought").asInt()).as("the session budget of 5 is spent").isEqualTo(1);
            assertThat(over.get("session_budget_left_sats").asInt()).isZero();
            assertThat(out.resolve("b-color.png")).doesNotExist();

            assertThat(c.get(4).get("is_error").asBoolean()).isTrue();
            assertThat(c.get(4).get("structured").get("error").asText()).contains("missing.png");

            JsonNode report = c.get(5).get("structured");
            assertThat(report.get("session_spent_sats").asInt()).isEqualTo(5);
            assertThat(report.get("session_budget_sats").asInt()).isEqualTo(5);
            assertThat(report.get("colorize_calls").asInt()).isEqualTo(4);
        }
    }

    /**
     * The SDK's v2 client pinned to MCP 2026-07-28 on the same pipe: it probes with server/discover
     * instead of initialize, and every request names its version in _meta; the purchase is the same.
     */
    @Test
    void aClientOf2026_07_28DiscoversAndBuysWithoutAHandshake() throws Exception {
        NodeScripts.requireInstalled();
        Path model = TestResources.tinyModel();
        Path config = Files.writeString(dir.resolve("chroma402.yaml"), """
                data-dir: %s
                models:
                  dir: %s
                """.formatted(dir.resolve("data"), model.getParent()));
        Path a = Files.write(dir.resolve("a.png"), TestResources.bytes("fixtures/inputs/buffalo.png"));
        Path out = dir.resolve("colored");
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            String calls = JSON.writeValueAsString(JSON.readTree("""
                    [{"name": "colorize_files", "arguments": {"paths": ["%1$s"], "output": "%2$s"}},
                     {"name": "spend_report", "arguments": {}}]
                    """.formatted(a, out)));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            JsonNode result = JSON.readTree(NodeScripts.run("mcp-client-2026.mjs", "", "stdio", java, "-cp",
                    System.getProperty("java.class.path"), "org.chroma402.app.Main", "mcp", "-c", config.toString(),
                    "--server", server.base.toString(), "--budget", "5", "--", calls));
            assertThat(result.get("negotiated").asText()).as(result.toString()).isEqualTo("2026-07-28");
            assertThat(result.get("discover").get("supportedVersions").toString()).contains("2026-07-28", "2025-11-25");
            assertThat(result.get("tools").toString()).contains("colorize_files", "spend_report", "list_models");
            JsonNode bought = result.get("calls").get(0).get("structured");
            assertThat(bought.get("colorized").asInt()).as(bought.toString()).isEqualTo(1);
            assertThat(bought.get("paid_sats").asInt()).isEqualTo(5);
            assertThat(out.resolve("a-color.png")).isRegularFile();
            assertThat(result.get("calls").get(1).get("structured").get("session_spent_sats").asInt()).isEqualTo(5);
        }
    }
}
