package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.chroma402.l402.testing.NodeScripts;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document the server serves, linted by Redocly's CLI (npm) with its recommended rules: no errors, no warnings. */
class OpenApiLintTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsNode() {
        NodeScripts.requireInstalled();
    }

    @Test
    void theServedDocumentPassesRedoclyLint() throws Exception {
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            Path document = Files.write(dir.resolve("openapi.json"), new ApiClient(server.base).get("/openapi.json").body());
            String out = NodeScripts.run("openapi-lint.mjs", "", document.toString());
            // Redocly's summary line: with any problem it reports "N errors" / "N warnings" instead.
            assertThat(out).contains("Your API description is valid").doesNotContainPattern("\\d+ (errors?|warnings?)");
        }
    }
}
