package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.bolt11.Bolt11Invoice;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.server.jobs.JobState;
import org.chroma402.server.persistence.JdbcJobStore;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract's flow over real HTTP, and the rules paying clients rely on. */
class PaidFlowTest {
    private static final byte[] PHOTO = TestResources.bytes("fixtures/inputs/buffalo.png");
    private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULTS);

    @TempDir
    Path dir;
    private TestServer server;
    private ApiClient api;

    @BeforeEach
    void start() {
        server = new TestServer(dir);
        api = new ApiClient(server.base);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record Paid(String body, L402Challenge challenge, String preimage) {
        String credential() {
            return "L402 " + challenge.macaroonBase64() + ":" + preimage;
        }
    }

    private Paid payFor(byte[] photo, String model) {
        String body = ApiClient.body(photo, model);
        HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", body);
        assertThat(challenge.statusCode()).isEqualTo(402);
        L402Challenge parsed = ApiClient.challenge(challenge);
        return new Paid(body, parsed, api.devPay(parsed.invoice()));
    }

    @Test
    void theContractsFlowEndToEnd() throws Exception {
        String body = ApiClient.body(PHOTO, "large");
        HttpResponse<byte[]> first = api.post("/api/l402/colorize-image", body);
        assertThat(first.statusCode()).isEqualTo(402);
        List<String> challenges = first.headers().allValues("WWW-Authenticate");
        assertThat(challenges).hasSize(3);
        assertThat(challenges.get(0)).startsWith("LSAT macaroon=\"");
        assertThat(challenges.get(1)).startsWith("L402 macaroon=\"");
        assertThat(challenges.get(2)).startsWith("Payment id=\"");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-store");
        L402Challenge challenge = ApiClient.challenge(first);
        JsonNode json = ApiClient.json(first);
        assertThat(json.get("macaroon").asText()).isEqualTo(challenge.macaroonBase64());
        assertThat(json.get("invoice").asText()).isEqualTo(challenge.invoice());
        assertThat(json.get("amount_sats").asLong()).isEqualTo(5);
        assertThat(json.get("error_code").asText()).isEqualTo("payment_required");

        Bolt11Invoice invoice = Bolt11Decoder.decode(challenge.invoice());
        assertThat(invoice.amountMsat()).hasValue(5_000);
        assertThat(invoice.paymentHash().hex()).isEqualTo(json.get("payment_hash").asText());
        assertThat(invoice.expirySeconds()).isEqualTo(600);
        Macaroon macaroon = challenge.macaroon();
        assertThat(macaroon.firstPartyCaveats()).anyMatch(c -> c.startsWith("colorize_request="))
                .anyMatch(c -> c.equals("services=colorize:0")).anyMatch(c -> c.startsWith("colorize_valid_until="));

        String preimage = api.devPay(challenge.invoice());
        HttpResponse<byte[]> paid = api.post("/api/l402/colorize-image", body,
                "Authorization", "L402 " + challenge.macaroonBase64() + ":" + preimage);
        assertThat(paid.statusCode()).as(new String(paid.body())).isEqualTo(200);
        JsonNode result = ApiClient.json(paid);
        assertThat(result.get("width").asInt()).isEqualTo(120);
        assertThat(result.get("height").asInt()).isEqualTo(90);
        assertThat(result.get("model_size").asText()).isEqualTo("large");
        assertThat(result.get("payment_hash").asText()).isEqualTo(invoice.paymentHash().hex());
        assertThat(result.get("expires_at").asText()).isNotBlank();

        HttpResponse<byte[]> download = api.get(result.get("image_url").asText());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("image/png");
        RgbImage image = DECODER.decode(download.body());
        assertThat(image.width()).isEqualTo(120);
        assertThat(image.height()).isEqualTo(90);
    }

    @Test
    void aReplayReturnsTheSameResultWithoutComputingAgain() {
        Paid paid = payFor(PHOTO, "large");
        JsonNode first = ApiClient.json(api.post("/api/l402/colorize-image", paid.body(), "Authorization", paid.credential()));
        JsonNode second = ApiClient.json(api.post("/api/l402/colorize-image", paid.body(), "Authorization", paid.credential()));
        assertThat(second.get("image_url").asText()).isEqualTo(first.get("image_url").asText());
        var job = new JdbcJobStore(server.database).findById(first.get("job_id").asText()).orElseThrow();
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.state()).isEqualTo(JobState.DONE);
    }

    @Test
    void theCredentialIsBoundToItsRequest() {
        Paid paid = payFor(PHOTO, "large");
        String otherPhoto = ApiClient.body(TestResources.bytes("fixtures/inputs/keller.png"), "large");
        HttpResponse<byte[]> other = api.post("/api/l402/colorize-image", otherPhoto, "Authorization", paid.credential());
        assertThat(other.statusCode()).isEqualTo(402);
        assertThat(ApiClient.challenge(other).macaroonBase64()).isNotEqualTo(paid.challenge().macaroonBase64());
        String otherModel = ApiClient.body(PHOTO, "tiny");
        assertThat(api.post("/api/l402/colorize-image", otherModel, "Authorization", paid.credential()).statusCode()).isEqualTo(402);
        // The same photo with the same model, written differently (padding, data URL, extra fields), is the same request.
        String rewritten = "{\"extra\": 1, \"model_size\": \"large\", \"image\": \"data:image/png;base64,"
                + java.util.Base64.getEncoder().withoutPadding().encodeToString(PHOTO) + "\"}";
        assertThat(api.post("/api/l402/colorize-image", rewritten, "Authorization", paid.credential()).statusCode()).isEqualTo(200);
    }

    @Test
    void whatAPaymentCanCureGetsAFreshChallenge() {
        Paid paid = payFor(PHOTO, "large");
        // Credential -> status: a payment can cure all but a malformed one (401, as the 2026 L402 text says);
        // every one of them still comes with a fresh challenge.
        java.util.Map<String, Integer> credentials = java.util.Map.of(
                "L402 garbage", 401,
                "L402 " + paid.challenge().macaroonBase64() + ":" + "00".repeat(32), 402,
                "Bearer " + paid.challenge().macaroonBase64(), 402,
                "L402 AgEDbG5kAkIAAGVsZWZhbnQ=:" + paid.preimage(), 401);
        credentials.forEach((credential, status) -> {
            HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", paid.body(), "Authorization", credential);
            assertThat(response.statusCode()).as(credential).isEqualTo(status);
            assertThat(response.headers().allValues("WWW-Authenticate")).hasSize(3);
        });
    }

    @Test
    void lsatAndUrlSafeCredentialsAreAccepted() {
        Paid paid = payFor(PHOTO, "tiny");
        String urlSafe = paid.challenge().macaroonBase64().replace('+', '-').replace('/', '_').replace("=", "");
        HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", paid.body(), "Authorization",
                "lsat " + urlSafe + ":" + paid.preimage().toUpperCase());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenThatBoughtNothingNeedsANewPayment() {
        Paid paid = payFor(PHOTO, "large");
        server.clock.advance(Duration.ofMinutes(10).plus(Duration.ofHours(1)).plusSeconds(1));
        HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", paid.body(), "Authorization", paid.credential());
        assertThat(response.statusCode()).isEqualTo(402);
    }

    @Test
    void aPaidTokenCanBeRedeemedLateWithinItsWindowAndReplayedAfterIt() {
        Paid paid = payFor(PHOTO, "large");
        server.clock.advance(Duration.ofMinutes(30));
        HttpResponse<byte[]> late = api.post("/api/l402/colorize-image", paid.body(), "Authorization", paid.credential());
        assertThat(late.statusCode()).isEqualTo(200);
        server.clock.advance(Duration.ofHours(2));
        HttpResponse<byte[]> replay = api.post("/api/l402/colorize-image", paid.body(), "Authorization", paid.credential());
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(replay).get("image_url")).isEqualTo(ApiClient.json(late).get("image_url"));
    }

    @Test
    void concurrentRedeemsOfOneTokenComputeOnce() throws Exception {
        Paid paid = payFor(PHOTO, "large");
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<byte[]>>> responses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            responses.add(pool.submit(() -> {
                go.await();
                return api.post("/api/l402/colorize-image", paid.body(), "Authorization", paid.credential());
            }));
        }
        go.countDown();
        String url = null;
        for (Future<HttpResponse<byte[]>> f : responses) {
            HttpResponse<byte[]> r = f.get();
            assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
            String u = ApiClient.json(r).get("image_url").asText();
            url = url == null ? u : url;
            assertThat(u).isEqualTo(url);
        }
        pool.shutdown();
        JdbcJobStore store = new JdbcJobStore(server.database);
        assertThat(store.count(JobState.DONE)).isEqualTo(1);
        String jobId = ApiClient.json(responses.get(0).get()).get("job_id").asText();
        assertThat(store.findById(jobId).orElseThrow().attempts()).isEqualTo(1);
        String metrics = new String(api.get("/metrics").body());
        assertThat(metrics).contains("chroma402_payments_redeemed_total{model=\"large\"} 1.0");
        assertThat(metrics).contains("chroma402_sats_earned_total{model=\"large\"} 5.0");
    }

    @Test
    void acceptImageReturnsTheBytesDirectly() throws Exception {
        Paid paid = payFor(PHOTO, "large");
        HttpResponse<byte[]> png = api.post("/api/l402/colorize-image", paid.body(), "Authorization", paid.credential(),
                "Accept", "image/png");
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(DECODER.decode(png.body()).width()).isEqualTo(120);
        HttpResponse<byte[]> jpeg = api.post("/api/l402/colorize-image", paid.body(), "Authorization", paid.credential(),
                "Accept", "image/jpeg");
        assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(jpeg.body()[0] & 0xff).isEqualTo(0xff);
        assertThat(jpeg.body()[1] & 0xff).isEqualTo(0xd8);
        // The JPEG rendering is made once and kept: replays are served from it, not re-encoded.
        String jpegName = ApiClient.json(api.post("/api/l402/colorize-image", paid.body(), "Authorization",
                paid.credential())).get("image_url").asText().replaceAll(".*/results/", "").replace(".png", ".jpg");
        java.nio.file.Path kept = dir.resolve("results").resolve(jpegName);
        assertThat(kept).exists();
        java.nio.file.attribute.FileTime made = java.nio.file.Files.getLastModifiedTime(kept);
        HttpResponse<byte[]> again = api.post("/api/l402/colorize-image", paid.body(), "Authorization", paid.credential(),
                "Accept", "image/jpeg");
        assertThat(again.body()).isEqualTo(jpeg.body());
        assertThat(java.nio.file.Files.getLastModifiedTime(kept)).isEqualTo(made);
    }

    @Test
    void manySimultaneousFirstJpegRequestsAllGetTheOneRendering() throws Exception {
        // Two finished results, then 24 requests at once for each one's JPEG, none made yet: they
        // used to race on one temporary file (a 500 for many with NoSuchFileException …jpg.tmp).
        List<Paid> paid = List.of(payFor(PHOTO, "large"), payFor(TestResources.bytes("fixtures/inputs/keller.png"), "large"));
        for (Paid p : paid) {
            assertThat(api.post("/api/l402/colorize-image", p.body(), "Authorization", p.credential()).statusCode()).isEqualTo(200);
        }
        int perResult = 24;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<List<Future<HttpResponse<byte[]>>>> responses = new ArrayList<>();
        try {
            for (Paid p : paid) {
                List<Future<HttpResponse<byte[]>>> forThis = new ArrayList<>();
                for (int i = 0; i < perResult; i++) {
                    forThis.add(pool.submit(() -> {
                        go.await();
                        return api.post("/api/l402/colorize-image", p.body(), "Authorization", p.credential(),
                                "Accept", "image/jpeg");
                    }));
                }
                responses.add(forThis);
            }
            go.countDown();
            for (List<Future<HttpResponse<byte[]>>> forThis : responses) {
                byte[] first = null;
                for (Future<HttpResponse<byte[]>> f : forThis) {
                    HttpResponse<byte[]> r = f.get();
                    assertThat(r.statusCode()).as(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(200);
                    assertThat(r.headers().firstValue("Content-Type")).hasValue("image/jpeg");
                    first = first == null ? r.body() : first;
                    assertThat(r.body()).isEqualTo(first);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        try (var files = java.nio.file.Files.list(dir.resolve("results"))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left behind")
                    .noneMatch(name -> name.endsWith(".tmp")).filteredOn(name -> name.endsWith(".jpg")).hasSize(2);
        }
    }

    @Test
    void preferRespondAsyncGivesAPollUrl() throws Exception {
        Paid paid = payFor(PHOTO, "large");
        HttpResponse<byte[]> accepted = api.post("/api/l402/colorize-image", paid.body(), "Authorization", paid.credential(),
                "Prefer", "respond-async");
        assertThat(accepted.statusCode()).isIn(200, 202);
        if (accepted.statusCode() == 202) {
            String poll = accepted.headers().firstValue("Location").orElseThrow();
            assertThat(ApiClient.json(accepted).get("poll_url").asText()).isEqualTo(poll);
            HttpResponse<byte[]> done;
            long deadline = System.currentTimeMillis() + 20_000;
            do {
                Thread.sleep(100);
                done = api.get(poll);
            } while (done.statusCode() == 202 && System.currentTimeMillis() < deadline);
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(ApiClient.json(done).get("width").asInt()).isEqualTo(120);
        }
        assertThat(api.get("/api/l402/jobs/" + "ab".repeat(16)).statusCode()).isEqualTo(404);
    }

    @Test
    void expiredResultsAreSweptAndReplaysSayGone() {
        Paid paid = payFor(PHOTO, "large");
        JsonNode result = ApiClient.json(api.post("/api/l402/colorize-image", paid.body(), "Authorization", paid.credential()));
        server.clock.advance(Duration.ofHours(25));
        server.server.sweepNow();
        assertThat(api.get(result.get("image_url").asText()).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> replay = api.post("/api/l402/colorize-image", paid.body(), "Authorization", paid.credential());
        assertThat(replay.statusCode()).isEqualTo(410);
        assertThat(replay.headers().firstValue("X-Error-Code")).hasValue("result_expired");
    }
}
