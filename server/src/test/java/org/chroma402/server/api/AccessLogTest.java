package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.List;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** One access-log line per request, with what an operator needs and nothing a thief could use. */
class AccessLogTest {
    @TempDir
    Path dir;

    @Test
    void everyRequestIsLoggedWithoutCredentialsOrCapabilities() {
        Logger access = (Logger) LoggerFactory.getLogger("org.chroma402.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        int[] healthz = {-1};
        try (TestServer server = new TestServer(dir)) {
            ApiClient api = new ApiClient(server.base);
            String body = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "large");
            L402Challenge challenge = ApiClient.challenge(api.post("/api/l402/colorize-image", body));
            String preimage = api.devPay(challenge.invoice());
            String credential = "L402 " + challenge.macaroonBase64() + ":" + preimage;
            String jobId = ApiClient.json(api.post("/api/l402/colorize-image", body, "Authorization", credential))
                    .get("job_id").asText();
            api.get("/api/l402/jobs/" + jobId);
            healthz[0] = api.get("/healthz").body().length;
        } finally {
            access.detachAppender(lines);
        }
        List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(messages).anyMatch(m -> m.startsWith("POST /api/l402/colorize-image 402 "))
                .anyMatch(m -> m.matches("POST /api/l402/colorize-image 200 [1-9][0-9]*B \\d+ms 127\\.0\\.0\\.1"))
                .anyMatch(m -> m.startsWith("GET /api/l402/jobs/{id} 200 "))
                .anyMatch(m -> m.matches("GET /healthz 200 " + healthz[0] + "B \\d+ms 127\\.0\\.0\\.1"));
        for (ILoggingEvent line : lines.list) {
            String all = line.getFormattedMessage() + line.getKeyValuePairs();
            assertThat(all).doesNotContainPattern("[0-9a-f]{32}").doesNotContain("L402 ").doesNotContain("macaroon");
        }
        assertThat(lines.list.get(0).getKeyValuePairs()).extracting(kv -> kv.key)
                .containsExactly("method", "route", "status", "bytes", "duration_ms", "client");
    }
}
