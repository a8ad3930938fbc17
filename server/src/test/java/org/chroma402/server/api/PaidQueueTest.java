package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.chroma402.colorize.pipeline.SessionSettings;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paid work is bounded where it can be refused, before the invoice: per client address (jobs and
 * unredeemed invoices) and in all (paid jobs); and jobs that were paid are served in turn across
 * payers, so one payer's backlog does not hold up everybody else's photo.
 *
 * <p>Client addresses are given through a trusted proxy's {@code X-Forwarded-For}, over loopback.
 */
class PaidQueueTest {
    private static final String PATH = "/api/l402/colorize-image";
    private static final String SMALL = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "large");

    @TempDir
    Path dir;

    private static TestServer.Options behindProxy() {
        return TestServer.Options.defaults().withListening(l -> new ServerConfig.Listening(l.host(), l.port(), null,
                l.corsOrigins(), true, 1, List.of()));
    }

    @Test
    void aSmallJobBehindOnePayersBacklogOfTwentyWaitsForOneJobNotTwenty() {
        int backlog = 20;
        // One worker: the bound is then one job ahead, whatever the machine's load; with more
        // workers, each may hold a job of the backlog when the small one arrives.
        int workers = Integer.getInteger("paidQueue.workers", 1);
        TestServer.Options options = behindProxy().withJobs(workers, backlog, 1000).withRate(600, 100);
        options.withModel(TestResources.slowModel(), SessionSettings.DEFAULTS);
        try (TestServer server = new TestServer(dir, options)) {
            ApiClient api = new ApiClient(server.base);
            // Its time on an idle server (the second run: the first warms the model up).
            redeem(api, SMALL, buy(api, SMALL, "10.0.0.2"), "10.0.0.2", false);
            String again = ApiClient.body(photo(200, 160, 1), "large");
            long t0 = System.nanoTime();
            assertThat(redeem(api, again, buy(api, again, "10.0.0.2"), "10.0.0.2", false).statusCode()).isEqualTo(200);
            double idle = (System.nanoTime() - t0) / 1e9;

            // One payer buys a backlog of large photos and queues them all at once.
            List<String> bodies = new ArrayList<>();
            List<String> credentials = new ArrayList<>();
            for (int i = 0; i < backlog; i++) {
                String body = ApiClient.body(photo(640, 480, 100 + i), "large");
                bodies.add(body);
                credentials.add(buy(api, body, "10.6.6.6"));
            }
            String small = ApiClient.body(photo(200, 160, 2), "large");
            String smallCredential = buy(api, small, "10.0.0.3");
            List<String> polls = new ArrayList<>();
            for (int i = 0; i < backlog; i++) {
                HttpResponse<byte[]> accepted = redeem(api, bodies.get(i), credentials.get(i), "10.6.6.6", true);
                assertThat(accepted.statusCode()).isEqualTo(202);
                polls.add(accepted.headers().firstValue("Location").orElseThrow());
            }

            // Another customer's small paid job, behind all of them.
            long t1 = System.nanoTime();
            assertThat(redeem(api, small, smallCredential, "10.0.0.3", false).statusCode()).isEqualTo(200);
            double behind = (System.nanoTime() - t1) / 1e9;
            long backlogDone = polls.stream().filter(poll -> api.get(poll).statusCode() == 200).count();
            System.out.printf("small paid job: idle %.2f s, behind a backlog of %d: %.2f s (%.1fx); backlog jobs done by then: %d%n",
                    idle, backlog, behind, behind / idle, backlogDone);
            assertThat(behind).as("behind the backlog vs idle %.2f s", idle).isLessThan(3 * idle);
            assertThat(backlogDone).isLessThan(backlog / 2);
        }
    }

    @Test
    void anAddressGetsNoMoreInvoicesThanItsShareAndOthersStillDo() {
        try (TestServer server = new TestServer(dir, behindProxy().withJobs(2, 3, 1000).withQueue(16, false))) {
            ApiClient api = new ApiClient(server.base);
            List<String> bodies = new ArrayList<>();
            List<L402Challenge> challenges = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                bodies.add(ApiClient.body(photo(64, 48, i), "large"));
                challenges.add(ApiClient.challenge(post(api, bodies.get(i), "10.1.1.1")));
            }
            long invoices = server.invoiceCount();
            HttpResponse<byte[]> fourth = post(api, ApiClient.body(photo(64, 48, 3), "large"), "10.1.1.1");
            assertThat(fourth.statusCode()).isEqualTo(429);
            assertThat(fourth.headers().firstValue("X-Error-Code")).hasValue("too_many_jobs");
            assertThat(fourth.headers().firstValue("Retry-After")).isPresent();
            assertThat(fourth.headers().allValues("WWW-Authenticate")).isEmpty();
            assertThat(server.invoiceCount()).isEqualTo(invoices);
            // The same request again replaces its unpaid invoice rather than taking another place.
            assertThat(post(api, bodies.get(0), "10.1.1.1").statusCode()).isEqualTo(402);
            challenges.set(0, ApiClient.challenge(post(api, bodies.get(0), "10.1.1.1")));
            assertThat(post(api, SMALL, "10.2.2.2").statusCode()).isEqualTo(402);

            // Paid and redeemed from elsewhere, the jobs still count against the address that bought them.
            for (int i = 0; i < 3; i++) {
                String credential = "L402 " + challenges.get(i).macaroonBase64() + ":" + api.devPay(challenges.get(i).invoice());
                assertThat(redeem(api, bodies.get(i), credential, "10.3.3.3", true).statusCode()).isEqualTo(202);
            }
            assertThat(post(api, ApiClient.body(photo(64, 48, 3), "large"), "10.1.1.1").statusCode()).isEqualTo(429);
            assertThat(post(api, ApiClient.body(photo(64, 48, 3), "large"), "10.3.3.3").statusCode()).isEqualTo(402);
        }
    }

    @Test
    void aFullQueueRefusesNewInvoicesButTakesEveryPaidRequest() throws Exception {
        try (TestServer server = new TestServer(dir, behindProxy().withJobs(1, 100, 2).withQueue(16, false))) {
            ApiClient api = new ApiClient(server.base);
            List<String> bodies = new ArrayList<>();
            List<String> credentials = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                bodies.add(ApiClient.body(photo(64, 48, i), "large"));
                credentials.add(buy(api, bodies.get(i), "10.4.4." + i));
            }
            List<String> polls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                HttpResponse<byte[]> accepted = redeem(api, bodies.get(i), credentials.get(i), "10.4.4." + i, true);
                assertThat(accepted.statusCode()).as("a paid request is never refused for load").isEqualTo(202);
                polls.add(accepted.headers().firstValue("Location").orElseThrow());
            }
            long invoices = server.invoiceCount();
            HttpResponse<byte[]> full = post(api, SMALL, "10.5.5.5");
            assertThat(full.statusCode()).isEqualTo(503);
            assertThat(full.headers().firstValue("X-Error-Code")).hasValue("queue_full");
            assertThat(full.headers().firstValue("Retry-After")).isPresent();
            assertThat(full.headers().allValues("WWW-Authenticate")).isEmpty();
            assertThat(server.invoiceCount()).isEqualTo(invoices);

            server.engines.values().forEach(e -> e.start());
            for (String poll : polls) {
                long deadline = System.currentTimeMillis() + 20_000;
                while (api.get(poll).statusCode() != 200 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(api.get(poll).statusCode()).isEqualTo(200);
            }
            assertThat(post(api, SMALL, "10.5.5.5").statusCode()).isEqualTo(402);
        }
    }

    private static HttpResponse<byte[]> post(ApiClient api, String body, String address) {
        return api.post(PATH, body, "X-Forwarded-For", address);
    }

    private static String buy(ApiClient api, String body, String address) {
        HttpResponse<byte[]> response = post(api, body, address);
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(402);
        L402Challenge challenge = ApiClient.challenge(response);
        return "L402 " + challenge.macaroonBase64() + ":" + api.devPay(challenge.invoice());
    }

    private static HttpResponse<byte[]> redeem(ApiClient api, String body, String credential, String address, boolean async) {
        return async ? api.post(PATH, body, "Authorization", credential, "X-Forwarded-For", address, "Prefer", "respond-async")
                : api.post(PATH, body, "Authorization", credential, "X-Forwarded-For", address);
    }

    /** A distinct grey photo: smooth shading with a little noise, as a JPEG. */
    static byte[] photo(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Random random = new Random(seed);
        var raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, Math.floorMod((x + y + seed * 7) / 4 + random.nextInt(8), 256));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpeg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
