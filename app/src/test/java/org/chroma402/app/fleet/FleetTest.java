package org.chroma402.app.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.chroma402.app.Main;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.server.testing.ApiClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas are one service: shared PostgreSQL, S3 bucket and Lightning node, behind HAProxy and
 * reached directly. A challenge from one is paid and redeemed on the other; replays anywhere give
 * the same URL; concurrent redeems across replicas compute once; a root key rotated by the
 * {@code keys} command is used and honoured by all; a replica killed mid-job is taken over by the
 * other after the lease, and the client's retry through the balancer gets the result.
 */
class FleetTest {
    private static final String TINY = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "tiny");
    private static final String OTHER = ApiClient.body(TestResources.bytes("fixtures/inputs/keller.png"), "tiny");
    private static final String NIPOMO = ApiClient.body(TestResources.bytes("fixtures/inputs/nipomo.png"), "tiny");
    private static final String LARGE = ApiClient.body(TestResources.bytes("fixtures/inputs/detroit.png"), "large");

    @TempDir
    Path dir;

    /** Pays the challenge with the shared node, as a payer elsewhere on the network would. */
    private static String pay(Fleet fleet, HttpResponse<byte[]> challenge) throws Exception {
        L402Challenge c = ApiClient.challenge(challenge);
        PaymentHash hash = PaymentHash.fromHex(ApiClient.json(challenge).get("payment_hash").asText());
        return "L402 " + c.macaroonBase64() + ":" + fleet.node.settle(hash).preimage.hex();
    }

    @Test
    void twoReplicasBehindHaproxyAreOneService() throws Exception {
        boolean required = "1".equals(System.getenv("CHROMA402_REQUIRE_HAPROXY"));
        if (Fleet.haproxyBinary() == null) {
            if (required) {
                throw new AssertionError("the fleet test needs Debian's haproxy (installed by .ci/run)");
            }
            Assumptions.abort("haproxy is not installed");
        }
        try (Fleet fleet = new Fleet(dir, 2)) {
            Fleet.Replica a = fleet.replicas.get(0);
            Fleet.Replica b = fleet.replicas.get(1);
            ApiClient atA = new ApiClient(a.base());
            ApiClient atB = new ApiClient(b.base());
            ApiClient balanced = new ApiClient(fleet.balancer());

            // Challenge at A, paid on the shared node, redeemed at B; replays anywhere give the same URL.
            String credential = pay(fleet, atA.post("/api/l402/colorize-image", TINY));
            HttpResponse<byte[]> redeemed = atB.post("/api/l402/colorize-image", TINY, "Authorization", credential);
            assertThat(redeemed.statusCode()).as(new String(redeemed.body()) + fleet.logs()).isEqualTo(200);
            String url = ApiClient.json(redeemed).get("image_url").asText();
            for (ApiClient anywhere : List.of(atA, atB, balanced, balanced)) {
                JsonNode replay = ApiClient.json(anywhere.post("/api/l402/colorize-image", TINY, "Authorization", credential));
                assertThat(replay.get("image_url").asText().replaceAll("^http://[^/]+", ""))
                        .isEqualTo(url.replaceAll("^http://[^/]+", ""));
            }
            // The result lives in the shared bucket: every replica serves it.
            String path = url.replaceAll("^http://[^/]+", "");
            assertThat(atA.get(path).statusCode()).isEqualTo(200);
            assertThat(balanced.get(path).body()).isEqualTo(atB.get(path).body());

            // Concurrent redeems of one credential, half at each replica: one job, one computation.
            String concurrent = pay(fleet, balanced.post("/api/l402/colorize-image", OTHER));
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ApiClient target = i % 2 == 0 ? atA : atB;
                answers.add(pool.submit(() -> target.post("/api/l402/colorize-image", OTHER, "Authorization", concurrent)));
            }
            Set<String> jobs = new HashSet<>();
            for (Future<HttpResponse<byte[]>> f : answers) {
                HttpResponse<byte[]> r = f.get();
                assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
                jobs.add(ApiClient.json(r).get("job_id").asText());
            }
            pool.shutdown();
            assertThat(jobs).as("one job for one payment").hasSize(1);
            assertThat(query(fleet, "SELECT attempts FROM jobs WHERE id = '" + jobs.iterator().next() + "'"))
                    .as("computed once").isEqualTo("1");

            // A root key rotated by the keys command (one more process on the same database) is used by
            // the replicas within their 30 s key cache, and its tokens redeem on either replica.
            assertThat(Main.run("keys", "rotate", "-c", a.config.toString())).isZero();
            String newest = query(fleet, "SELECT id FROM root_keys WHERE retired_at IS NULL ORDER BY created_at DESC, id DESC");
            String withNewKey = null;
            long deadline = System.currentTimeMillis() + 40_000;
            while (withNewKey == null && System.currentTimeMillis() < deadline) {
                HttpResponse<byte[]> c = atB.post("/api/l402/colorize-image", NIPOMO);
                assertThat(c.statusCode()).as(new String(c.body())).isEqualTo(402);
                String hash = ApiClient.json(c).get("payment_hash").asText();
                if (newest.equals(query(fleet, "SELECT key_id FROM challenges WHERE payment_hash = '" + hash + "'"))) {
                    withNewKey = pay(fleet, c);
                } else {
                    Thread.sleep(1000);
                }
            }
            assertThat(withNewKey).as("the replicas start using the new key").isNotNull();
            HttpResponse<byte[]> newKeyAtA = atA.post("/api/l402/colorize-image", NIPOMO, "Authorization", withNewKey);
            assertThat(newKeyAtA.statusCode()).as(new String(newKeyAtA.body())).isEqualTo(200);

            // kill -9 the replica running a paid job: the other takes it over after the lease, and the
            // client's retry through the balancer gets the result.
            String slow = pay(fleet, atA.post("/api/l402/colorize-image", LARGE));
            HttpResponse<byte[]> accepted = atA.post("/api/l402/colorize-image", LARGE, "Authorization", slow,
                    "Prefer", "respond-async");
            assertThat(accepted.statusCode()).as(new String(accepted.body())).isEqualTo(202);
            String jobId = ApiClient.json(accepted).get("job_id").asText();
            long running = System.currentTimeMillis() + 20_000;
            while (!"running".equals(ApiClient.json(atA.get("/api/l402/jobs/" + jobId)).path("status").asText())
                    && System.currentTimeMillis() < running) {
                Thread.sleep(20);
            }
            assertThat(query(fleet, "SELECT state FROM jobs WHERE id = '" + jobId + "'")).isEqualTo("RUNNING");
            fleet.kill(a);
            HttpResponse<byte[]> retried = balanced.post("/api/l402/colorize-image", LARGE, "Authorization", slow);
            assertThat(retried.statusCode()).as(new String(retried.body()) + fleet.logs()).isEqualTo(200);
            assertThat(ApiClient.json(retried).get("job_id").asText()).isEqualTo(jobId);
            assertThat(query(fleet, "SELECT attempts FROM jobs WHERE id = '" + jobId + "'"))
                    .as("the killed attempt, then the one that finished").isEqualTo("2");
            assertThat(balanced.get(ApiClient.json(retried).get("image_url").asText().replaceAll("^http://[^/]+", ""))
                    .statusCode()).isEqualTo(200);

            // And the killed replica rejoins on the same database and bucket.
            fleet.start(a);
            fleet.awaitReady(a.base());
            assertThat(atA.post("/api/l402/colorize-image", TINY, "Authorization", credential).statusCode()).isEqualTo(200);
        }
    }

    private static String query(Fleet fleet, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(fleet.databaseUrl, "postgres", "postgres");
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
