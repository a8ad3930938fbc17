package org.chroma402.app.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop as systemd, Docker and Ctrl-C send it: a real {@code kill -TERM} (or {@code -INT}) to
 * {@code java -jar chroma402.jar serve} while a paid job runs. The job finishes within the
 * shutdown grace, the process says "stopped in" and exits 0, and the next start on the same data
 * directory has nothing to resume: the credential replays the stored result.
 */
class SigtermDrainsPaidJobsIT {
    private static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void sigtermLetsTheRunningPaidJobFinishThenExitsZero() {
        stopWithARunningJob("TERM");
    }

    @Test
    void sigintDoesTheSame() throws java.io.IOException {
        // A process started in the background by a shell without job control inherits SIGINT ignored,
        // and so does every child (this JVM's server too): no program can then be stopped by it, so
        // the promise is about Ctrl-C in a terminal, and this check runs where SIGINT reaches us.
        org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnored(),
                "SIGINT is ignored by this test run (started in the background without job control)");
        stopWithARunningJob("INT");
    }

    /** Whether this process ignores SIGINT (bit 2 of SigIgn in /proc/self/status), as its children then do. */
    private static boolean sigintIgnored() throws java.io.IOException {
        return java.nio.file.Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("SigIgn:"))
                .map(line -> Long.parseLong(line.substring(7).strip(), 16))
                .anyMatch(mask -> (mask & 0x2) != 0);
    }

    private void stopWithARunningJob(String signal) {
        int port = LoopbackPorts.free();
        Path config = ShippedJar.serveConfig(dir, port, "");
        URI base = URI.create("http://127.0.0.1:" + port);
        ApiClient api = new ApiClient(base);
        String body = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "large");
        String credential;
        String jobId;
        try (JarProcess server = ShippedJar.start(dir, "serve", "-c", config.toString())) {
            ShippedJar.awaitReady(server, base, START);
            credential = api.buy(body);
            HttpResponse<byte[]> accepted = api.post("/api/l402/colorize-image", body, "Authorization", credential,
                    "Prefer", "respond-async");
            assertThat(accepted.statusCode()).as(server.describe()).isEqualTo(202);
            jobId = ApiClient.json(accepted).get("job_id").asText();

            server.signal(signal);
            // The large test model takes about a second a run: the job is still running when the signal lands.
            server.awaitOutput("stopping: 1 paid job\\(s\\) running", Duration.ofSeconds(30));
            server.awaitOutput("stopped in \\d+ ms: 1 paid job\\(s\\) finished while stopping, 0 handed back",
                    Duration.ofSeconds(60));
            assertThat(server.awaitExit(Duration.ofSeconds(30))).as(server.describe()).isZero();
            assertThat(server.stderr()).as("the JVM died instead of stopping").doesNotContain("A fatal error");
        }

        try (JarProcess again = ShippedJar.start(dir, "serve", "-c", config.toString())) {
            ShippedJar.awaitReady(again, base, START);
            assertThat(again.stderr()).doesNotContain("resuming");
            HttpResponse<byte[]> job = api.get("/api/l402/jobs/" + jobId, "Authorization", credential);
            assertThat(job.statusCode()).as(new String(job.body())).isEqualTo(200);
            assertThat(ApiClient.json(job).path("status").asText()).isEqualTo("done");
            HttpResponse<byte[]> replay = api.post("/api/l402/colorize-image", body, "Authorization", credential,
                    "Accept", "image/png");
            assertThat(replay.statusCode()).as(new String(replay.body())).isEqualTo(200);
            assertThat(replay.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(again.stderr()).doesNotContain("resuming").doesNotContain("redeemed for large: job");

            again.signal(signal);
            assertThat(again.awaitExit(Duration.ofSeconds(60))).as(again.describe()).isZero();
            assertThat(again.stderr()).contains("stopped in");
        }
    }
}
