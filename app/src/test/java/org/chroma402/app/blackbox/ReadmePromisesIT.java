package org.chroma402.app.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.l402.payment.ChargeRequest;
import org.chroma402.l402.payment.PaymentChallenge;
import org.chroma402.l402.payment.PaymentCredential;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.LoopbackPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Rules clients rely on" and "Operating it" promises, each held by one test named after
 * it, against the shipped jar's {@code serve} in its own process on embedded defaults (development
 * node, SQLite, local results): what a script meets, over real HTTP. One server is shared by the
 * promises that do not stop it; the ones about dying and moving start their own.
 */
class ReadmePromisesIT {
    private static final String PHOTO = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "tiny");
    private static final String OTHER = ApiClient.body(TestResources.bytes("fixtures/inputs/keller.png"), "tiny");
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    static Path shared;
    static JarProcess server;
    static ApiClient api;

    @TempDir
    Path dir;

    @BeforeAll
    static void serve() {
        int port = LoopbackPorts.free();
        // Every promise here is asked from 127.0.0.1, one after another: the per-address invoice limits
        // (whose own tests are elsewhere) are raised, or a fast run reaches them and a later promise
        // meets the early 429 instead of what it checks.
        Path config = ShippedJar.serveConfig(shared, port, """
                limits:
                  challenges-per-minute: 600
                  challenge-burst: 200
                jobs:
                  max-per-address: 200
                """);
        server = ShippedJar.start(shared, "serve", "-c", config.toString());
        URI base = URI.create("http://127.0.0.1:" + port);
        ShippedJar.awaitReady(server, base, START);
        api = new ApiClient(base);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.signal("TERM");
            server.awaitExit(Duration.ofSeconds(40));
        }
    }

    /** Asks, pays with the development wallet, and returns {@code L402 macaroon:preimage}. */
    private static String buy(ApiClient api, String body) {
        HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", body);
        assertThat(challenge.statusCode()).as(new String(challenge.body(), StandardCharsets.UTF_8)).isEqualTo(402);
        L402Challenge l402 = ApiClient.challenge(challenge);
        return "L402 " + l402.macaroonBase64() + ":" + api.devPay(l402.invoice());
    }

    @Test
    void onePaymentBuysOneColorizationOfOneExactRequest() {
        String credential = buy(api, PHOTO);
        HttpResponse<byte[]> paid = api.post("/api/l402/colorize-image", PHOTO, "Authorization", credential);
        assertThat(paid.statusCode()).as(new String(paid.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(ApiClient.json(paid).get("status").asText()).isEqualTo("done");

        HttpResponse<byte[]> other = api.post("/api/l402/colorize-image", OTHER, "Authorization", credential);
        assertThat(other.statusCode()).isEqualTo(402);
        assertThat(other.headers().firstValue("X-Error-Code")).hasValue("other_request");
        // The model is part of the request too.
        String large = PHOTO.replace("\"tiny\"", "\"large\"");
        HttpResponse<byte[]> otherModel = api.post("/api/l402/colorize-image", large, "Authorization", credential);
        assertThat(otherModel.headers().firstValue("X-Error-Code")).hasValue("other_request");
    }

    @Test
    void payingIsNeverLostReplaysGiveTheSameResultWithoutComputingAgain() {
        String credential = buy(api, PHOTO);
        JsonNode first = ApiClient.json(api.post("/api/l402/colorize-image", PHOTO, "Authorization", credential));
        JsonNode again = ApiClient.json(api.post("/api/l402/colorize-image", PHOTO, "Authorization", credential));
        assertThat(again.get("image_url")).isEqualTo(first.get("image_url"));
        assertThat(again.get("job_id")).isEqualTo(first.get("job_id"));
    }

    @Test
    void theOutputSaysWhatWasDone() {
        String credential = buy(api, PHOTO);
        HttpResponse<byte[]> png = api.post("/api/l402/colorize-image", PHOTO, "Authorization", credential,
                "Accept", "image/png");
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(new String(png.body(), StandardCharsets.ISO_8859_1)).contains("compositeWithTrainedAlgorithmicMedia");
    }

    @Test
    void aRefusedCredentialSaysWhyAndStillGetsAFreshChallenge() {
        HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", PHOTO);
        L402Challenge l402 = ApiClient.challenge(challenge);
        String guess = "cd".repeat(32);
        HttpResponse<byte[]> unpaid = api.post("/api/l402/colorize-image", PHOTO, "Authorization",
                "L402 " + l402.macaroonBase64() + ":" + guess);
        assertThat(unpaid.statusCode()).isEqualTo(402);
        assertThat(unpaid.headers().firstValue("X-Error-Code")).hasValue("unpaid");
        assertThat(unpaid.headers().allValues("WWW-Authenticate")).isNotEmpty();

        api.devPay(l402.invoice());
        HttpResponse<byte[]> wrong = api.post("/api/l402/colorize-image", PHOTO, "Authorization",
                "L402 " + l402.macaroonBase64() + ":" + guess);
        assertThat(wrong.headers().firstValue("X-Error-Code")).hasValue("wrong_preimage");

        HttpResponse<byte[]> malformed = api.post("/api/l402/colorize-image", PHOTO, "Authorization", "L402 !!!");
        assertThat(malformed.statusCode()).isEqualTo(401);
        assertThat(malformed.headers().firstValue("X-Error-Code")).hasValue("malformed");
    }

    @Test
    void badInputIsAJsonErrorAndNeverCreatesAnInvoice() {
        HttpResponse<byte[]> bad = api.post("/api/l402/colorize-image", "{\"image\": \"not base64 at all!\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        JsonNode error = ApiClient.json(bad);
        assertThat(error.has("error")).isTrue();
        assertThat(error.get("error_code").asText()).isEqualTo(bad.headers().firstValue("X-Error-Code").orElseThrow());
        assertThat(error.has("suggestion")).isTrue();
        assertThat(bad.headers().allValues("WWW-Authenticate")).isEmpty();
        assertThat(error.has("invoice")).isFalse();

        HttpResponse<byte[]> notAnImage = api.post("/api/l402/colorize-image",
                ApiClient.body("hello, not a photo".getBytes(StandardCharsets.UTF_8), "tiny"));
        assertThat(notAnImage.statusCode()).isEqualTo(400);
        assertThat(notAnImage.headers().allValues("WWW-Authenticate")).isEmpty();
    }

    @Test
    void acceptImageOnTheRedeemReturnsTheImageItself() throws Exception {
        String credential = buy(api, OTHER);
        HttpResponse<byte[]> jpeg = api.post("/api/l402/colorize-image", OTHER, "Authorization", credential,
                "Accept", "image/jpeg");
        assertThat(jpeg.statusCode()).isEqualTo(200);
        assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg.body()))).isNotNull();
    }

    @Test
    void preferRespondAsyncReturns202AndAPollUrl() throws Exception {
        String body = PHOTO.replace("\"tiny\"", "\"large\"");
        String credential = buy(api, body);
        HttpResponse<byte[]> accepted = api.post("/api/l402/colorize-image", body, "Authorization", credential,
                "Prefer", "respond-async");
        assertThat(accepted.statusCode()).isIn(200, 202);
        JsonNode job = ApiClient.json(accepted);
        String poll = job.has("poll_url") ? job.get("poll_url").asText() : "/api/l402/jobs/" + job.get("job_id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<byte[]> done = api.get(poll);
        while (done.statusCode() == 202 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            done = api.get(poll);
        }
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(done).get("status").asText()).isEqualTo("done");
    }

    @Test
    void challengeHeadersFollowApertureLsatThenL402ThenPayment() {
        List<String> challenges = api.post("/api/l402/colorize-image", PHOTO).headers().allValues("WWW-Authenticate");
        assertThat(challenges).hasSize(3);
        assertThat(challenges.get(0)).startsWith("LSAT macaroon=\"").contains("invoice=\"");
        assertThat(challenges.get(1)).startsWith("L402 macaroon=\"");
        assertThat(challenges.get(2)).startsWith("Payment id=\"");
    }

    @Test
    void thePaymentSchemeBuysLikeL402() throws Exception {
        HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", OTHER);
        PaymentChallenge charge = PaymentChallenge.parseLightningCharge(
                String.join(", ", challenge.headers().allValues("WWW-Authenticate")));
        String preimage = api.devPay(ChargeRequest.decode(charge.request()).invoice());
        String credential = PaymentCredential.of(charge, preimage).format();
        HttpResponse<byte[]> paid = api.post("/api/l402/colorize-image", OTHER, "Authorization", credential);
        assertThat(paid.statusCode()).isEqualTo(200);
        assertThat(paid.headers().firstValue("Payment-Receipt")).isPresent();
    }

    @Test
    void freeEndpointsAnswerWithoutPayment() {
        for (String path : List.of("/api/l402/models", "/healthz", "/readyz", "/metrics", "/openapi.json",
                "/api/openapi.json", "/.well-known/l402.json", "/.well-known/l402-services", "/llms.txt",
                "/api/error-codes", "/")) {
            assertThat(api.get(path).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void logsHaveAnAccessLineForEveryRequestAndNeverACredential() {
        String credential = buy(api, PHOTO);
        api.post("/api/l402/colorize-image", PHOTO, "Authorization", credential);
        String preimage = credential.substring(credential.lastIndexOf(':') + 1);
        server.awaitOutput("POST /api/l402/colorize-image 200", Duration.ofSeconds(10));
        assertThat(server.stderr()).doesNotContain(preimage).doesNotContain(credential.substring(5, 40));
    }

    @Test
    void metricsCountChallengesAndRedemptions() {
        buy(api, OTHER);
        String metrics = new String(api.get("/metrics").body(), StandardCharsets.UTF_8);
        assertThat(metrics).contains("chroma402_model_up", "chroma402_lightning_up", "chroma402_database_up",
                "chroma402_build_info");
    }

    @Test
    void theDataDirectoryIsOwnerOnly() throws IOException {
        Path data = shared.resolve("data");
        assertThat(Files.getPosixFilePermissions(data)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.getPosixFilePermissions(file)).as(file.toString())
                        .doesNotContain(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
            }
        }
    }

    /** kill -9 after the payment, while the job runs: the next start resumes it and a retry gets the result. */
    @Test
    void payingIsNeverLostWhenTheServerDiesAfterThePayment() {
        int port = LoopbackPorts.free();
        Path config = ShippedJar.serveConfig(dir, port, "");
        URI base = URI.create("http://127.0.0.1:" + port);
        String body = PHOTO.replace("\"tiny\"", "\"large\"");
        String credential;
        try (JarProcess first = ShippedJar.start(dir, "serve", "-c", config.toString())) {
            ShippedJar.awaitReady(first, base, START);
            ApiClient client = new ApiClient(base);
            credential = buy(client, body);
            HttpResponse<byte[]> accepted = client.post("/api/l402/colorize-image", body, "Authorization", credential,
                    "Prefer", "respond-async");
            assertThat(accepted.statusCode()).isIn(200, 202);
            first.signal("KILL");
            first.awaitExit(Duration.ofSeconds(10));
        }
        try (JarProcess second = ShippedJar.start(dir, "serve", "-c", config.toString())) {
            ShippedJar.awaitReady(second, base, START);
            HttpResponse<byte[]> retry = new ApiClient(base).post("/api/l402/colorize-image", body,
                    "Authorization", credential);
            assertThat(retry.statusCode()).as(new String(retry.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(ApiClient.json(retry).get("status").asText()).isEqualTo("done");
            second.signal("TERM");
            second.awaitExit(Duration.ofSeconds(40));
        }
    }

    /**
     * An operator moves the whole data directory (a new disk, another host path) between runs: the
     * paid results and credentials sold before still replay.
     */
    @Test
    void aMovedDataDirectoryKeepsWhatWasSold() throws IOException {
        int port = LoopbackPorts.free();
        URI base = URI.create("http://127.0.0.1:" + port);
        Path before = Files.createDirectories(dir.resolve("before"));
        Path config = ShippedJar.serveConfig(before, port, "");
        String credential;
        JsonNode sold;
        try (JarProcess first = ShippedJar.start(before, "serve", "-c", config.toString())) {
            ShippedJar.awaitReady(first, base, START);
            ApiClient client = new ApiClient(base);
            credential = buy(client, PHOTO);
            sold = ApiClient.json(client.post("/api/l402/colorize-image", PHOTO, "Authorization", credential));
            first.signal("TERM");
            first.awaitExit(Duration.ofSeconds(40));
        }
        Path after = dir.resolve("after");
        Files.move(before, after);
        Path moved = ShippedJar.serveConfig(after, port, "");
        try (JarProcess second = ShippedJar.start(after, "serve", "-c", moved.toString())) {
            ShippedJar.awaitReady(second, base, START);
            ApiClient client = new ApiClient(base);
            HttpResponse<byte[]> replay = client.post("/api/l402/colorize-image", PHOTO, "Authorization", credential);
            assertThat(replay.statusCode()).as(new String(replay.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            JsonNode again = ApiClient.json(replay);
            assertThat(again.get("job_id")).isEqualTo(sold.get("job_id"));
            assertThat(client.get(again.get("image_url").asText()).statusCode()).isEqualTo(200);
            second.signal("TERM");
            second.awaitExit(Duration.ofSeconds(40));
        }
    }
}
