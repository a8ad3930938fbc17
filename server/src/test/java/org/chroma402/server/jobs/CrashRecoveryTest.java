package org.chroma402.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.server.persistence.Database;
import org.chroma402.server.persistence.DatabaseConfig;
import org.chroma402.server.persistence.JdbcJobStore;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paying is never lost: the server process is killed (SIGKILL) after the payment, while the job
 * is running, then started again on the same data directory. The retry with the same credential
 * gets the result, without paying again and with the job computed by the new process.
 */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void aJobInterruptedByACrashIsFinishedAfterRestartAndTheRetryGetsIt() throws Exception {
        String body = ApiClient.body(TestResources.bytes("fixtures/inputs/detroit.png"), "large");
        Process first = launch(false);
        String credential;
        String jobId;
        try {
            ApiClient api = new ApiClient(base(first));
            L402Challenge challenge = ApiClient.challenge(api.post("/api/l402/colorize-image", body));
            credential = "L402 " + challenge.macaroonBase64() + ":" + api.devPay(challenge.invoice());
            HttpResponse<byte[]> accepted = api.post("/api/l402/colorize-image", body, "Authorization", credential,
                    "Prefer", "respond-async");
            assertThat(accepted.statusCode()).isEqualTo(202);
            jobId = ApiClient.json(accepted).get("job_id").asText();
            long deadline = System.currentTimeMillis() + 10_000;
            while (!"running".equals(ApiClient.json(api.get("/api/l402/jobs/" + jobId)).path("status").asText())
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ApiClient.json(api.get("/api/l402/jobs/" + jobId)).path("status").asText()).isEqualTo("running");
        } finally {
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        Process second = launch(true);
        try {
            ApiClient api = new ApiClient(base(second));
            HttpResponse<byte[]> retried = api.post("/api/l402/colorize-image", body, "Authorization", credential);
            assertThat(retried.statusCode()).as(new String(retried.body())).isEqualTo(200);
            JsonNode result = ApiClient.json(retried);
            assertThat(result.get("job_id").asText()).isEqualTo(jobId);
            assertThat(result.get("width").asInt()).isEqualTo(200);
            assertThat(api.get(result.get("image_url").asText()).statusCode()).isEqualTo(200);
        } finally {
            second.destroy();
            second.waitFor(10, TimeUnit.SECONDS);
        }

        try (Database database = Database.open(DatabaseConfig.sqlite(dir.resolve("chroma402.db")))) {
            Job job = new JdbcJobStore(database).findById(jobId).orElseThrow();
            assertThat(job.state()).isEqualTo(JobState.DONE);
            assertThat(job.attempts()).as("one interrupted attempt, one that finished").isEqualTo(2);
            assertThat(job.inputName()).as("the stored input is cleaned up once done").isNull();
        }
    }

    private Process launch(boolean modelRuns) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ServerProcess.class.getName(),
                dir.toString(), Boolean.toString(modelRuns))
                .redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
                .start();
    }

    private static URI base(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        long deadline = System.currentTimeMillis() + 60_000;
        while ((line = out.readLine()) != null && System.currentTimeMillis() < deadline) {
            if (line.startsWith("PORT ")) {
                URI uri = URI.create("http://127.0.0.1:" + line.substring(5).strip());
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException e) {
                        // The process ended.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return uri;
            }
        }
        throw new AssertionError("the server process did not start");
    }
}
