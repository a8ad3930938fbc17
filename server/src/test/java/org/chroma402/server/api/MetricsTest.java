package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code /metrics} offers operators, checked by Prometheus' own linter (Debian's promtool). */
class MetricsTest {
    @TempDir
    Path dir;

    @Test
    void metricsAreCompleteAndPassPromtool() throws Exception {
        try (TestServer server = new TestServer(dir)) {
            ApiClient api = new ApiClient(server.base);
            String body = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "large");
            String credential = api.buy(body);
            assertThat(api.post("/api/l402/colorize-image", body, "Authorization", credential).statusCode()).isEqualTo(200);
            server.server.parts().lightningProbe().run();
            String metrics = new String(api.get("/metrics").body(), StandardCharsets.UTF_8);

            assertThat(metrics).contains("chroma402_build_info{commit=\"unknown\",version=\"development\"} 1");
            assertThat(metrics).contains("chroma402_job_latency_seconds_bucket{model=\"large\",le=\"1.0\"}");
            assertThat(metrics).contains("chroma402_model_up{model=\"large\"} 1").contains("chroma402_lightning_up{backend=\"dev\"} 1")
                    .contains("chroma402_database_up 1");
            assertThat(metrics).contains("jvm_memory_used_bytes").contains("process_uptime_seconds")
                    .contains("jvm_threads_live_threads");
            assertThat(metrics).contains("route=\"/api/l402/colorize-image\"").doesNotContain("route=\"*\"");

            File promtool = new File("/usr/bin/promtool");
            boolean required = "1".equals(System.getenv("CHROMA402_REQUIRE_PROMTOOL"));
            assumeTrue(required || promtool.canExecute(), "promtool is not installed (apt-get install prometheus)");
            Process check = new ProcessBuilder(promtool.getPath(), "check", "metrics").redirectErrorStream(true).start();
            check.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
            check.getOutputStream().close();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue()).as(output).isZero();
        }
    }
}
