package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.lightning.CreatedInvoice;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.lightning.InvoiceState;
import org.chroma402.lightning.LightningException;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpaid work is turned away under load or when Lightning is down; paid work never is. */
class LoadAndBackendTest {
    private static final String BODY = ApiClient.body(TestResources.bytes("fixtures/inputs/keller.png"), "large");

    @TempDir
    Path dir;

    @Test
    void challengesAreRateLimitedPerClient() {
        try (TestServer server = new TestServer(dir, TestServer.Options.defaults().withRate(2, 2))) {
            ApiClient api = new ApiClient(server.base);
            assertThat(api.post("/api/l402/colorize-image", BODY).statusCode()).isEqualTo(402);
            assertThat(api.post("/api/l402/colorize-image", BODY).statusCode()).isEqualTo(402);
            HttpResponse<byte[]> limited = api.post("/api/l402/colorize-image", BODY);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).isPresent();
            assertThat(limited.headers().firstValue("X-Error-Code")).hasValue("rate_limited");
        }
    }

    @Test
    void aFullQueueTurnsAwayUnpaidRequestsButNeverPaidOnes() throws Exception {
        try (TestServer server = new TestServer(dir, TestServer.Options.defaults().withQueue(1, false))) {
            ApiClient api = new ApiClient(server.base);
            // Two challenges while the queue is empty; the model is not running yet.
            L402Challenge first = ApiClient.challenge(api.post("/api/l402/colorize-image", BODY));
            String otherBody = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "large");
            L402Challenge second = ApiClient.challenge(api.post("/api/l402/colorize-image", otherBody));
            String auth1 = "L402 " + first.macaroonBase64() + ":" + api.devPay(first.invoice());
            String auth2 = "L402 " + second.macaroonBase64() + ":" + api.devPay(second.invoice());

            HttpResponse<byte[]> accepted = api.post("/api/l402/colorize-image", BODY, "Authorization", auth1,
                    "Prefer", "respond-async");
            assertThat(accepted.statusCode()).isEqualTo(202);
            long deadline = System.currentTimeMillis() + 5000;
            while (server.engines.get("large").queued() < 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            HttpResponse<byte[]> busy = api.post("/api/l402/colorize-image", otherBody);
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Retry-After")).isPresent();
            assertThat(busy.headers().firstValue("X-Error-Code")).hasValue("server_busy");
            assertThat(busy.headers().allValues("WWW-Authenticate")).isEmpty();

            HttpResponse<byte[]> paidWhileBusy = api.post("/api/l402/colorize-image", otherBody, "Authorization", auth2,
                    "Prefer", "respond-async");
            assertThat(paidWhileBusy.statusCode()).isEqualTo(202);

            server.engines.get("large").start();
            String poll = accepted.headers().firstValue("Location").orElseThrow();
            assertThat(pollUntilDone(api, poll).statusCode()).isEqualTo(200);
            assertThat(pollUntilDone(api, paidWhileBusy.headers().firstValue("Location").orElseThrow()).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void aBackendThatIsDownGivesA503AndNoChallenge() {
        try (TestServer server = new TestServer(dir, TestServer.Options.defaults().withBackend(DownBackend::new))) {
            ApiClient api = new ApiClient(server.base);
            HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", BODY);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("X-Error-Code")).hasValue("lightning_unavailable");
            assertThat(response.headers().allValues("WWW-Authenticate")).isEmpty();
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            HttpResponse<byte[]> ready = api.get("/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            // Where the node lives is for the operator's log, not for anyone who asks.
            assertThat(new String(ready.body())).contains("unavailable").doesNotContain("10.20.30.40")
                    .doesNotContain("https://");
        }
    }

    private static HttpResponse<byte[]> pollUntilDone(ApiClient api, String url) throws InterruptedException {
        HttpResponse<byte[]> r;
        long deadline = System.currentTimeMillis() + 20_000;
        do {
            Thread.sleep(50);
            r = api.get(url);
        } while (r.statusCode() == 202 && System.currentTimeMillis() < deadline);
        return r;
    }

    /** A node that is unreachable. */
    record DownBackend(InvoiceBackend real) implements InvoiceBackend {
        @Override
        public String name() {
            return "down";
        }

        @Override
        public CreatedInvoice createInvoice(InvoiceRequest request) {
            throw new LightningException("connection refused");
        }

        @Override
        public InvoiceState lookupInvoice(PaymentHash paymentHash) {
            throw new LightningException("connection refused");
        }

        @Override
        public void checkHealth() {
            throw new LightningException("cannot reach https://10.20.30.40:8080/v1/getinfo: connection refused");
        }
    }
}
