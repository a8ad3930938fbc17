package org.chroma402.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.persistence.Database;
import org.chroma402.server.persistence.DatabaseConfig;
import org.chroma402.server.persistence.JdbcJobStore;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop with a paid job running: new requests are turned away and {@code /readyz} says
 * "stopping" at once; the job gets the grace period, then is handed back (its lease released) so
 * the next start or another replica takes it over without waiting out the lease.
 */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void aStopWaitsForTheGraceThenHandsTheRunningJobBack() throws Exception {
        // The model never runs: the paid job is stuck mid-run, as a long colorization would be.
        TestServer server = new TestServer(dir, TestServer.Options.defaults().withQueue(16, false)
                .withOperations(new ServerConfig.Operations(true, Duration.ofSeconds(2))));
        ApiClient api = new ApiClient(server.base);
        String body = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "large");
        String credential = api.buy(body);
        HttpResponse<byte[]> accepted = api.post("/api/l402/colorize-image", body, "Authorization", credential,
                "Prefer", "respond-async");
        assertThat(accepted.statusCode()).isEqualTo(202);
        String jobId = ApiClient.json(accepted).get("job_id").asText();

        long t0 = System.nanoTime();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
        JsonNode ready = null;
        for (int i = 0; i < 40 && (ready == null || !"stopping".equals(ready.path("status").asText())); i++) {
            Thread.sleep(25);
            ready = ApiClient.json(api.get("/readyz"));
        }
        assertThat(ready.path("status").asText()).isEqualTo("stopping");
        HttpResponse<byte[]> refused = api.post("/api/l402/colorize-image", body);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("X-Error-Code")).hasValue("shutting_down");
        stopping.get();
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(tookMillis).isGreaterThanOrEqualTo(1900);

        try (Database db = Database.open(DatabaseConfig.sqlite(dir.resolve("chroma402.db")))) {
            Job job = new JdbcJobStore(db).findById(jobId).orElseThrow();
            assertThat(job.state()).isEqualTo(JobState.RUNNING);
            // Released: anyone may take it now, not only after the 5 s lease.
            assertThat(job.leaseUntil()).isBefore(Instant.now());
            assertThat(new JdbcJobStore(db).findUnfinished(Instant.now(), 10)).extracting(Job::id).contains(jobId);
        }
    }
}
