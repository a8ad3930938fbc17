package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client over its invoice rate limit is refused from its address alone: it announces an 18 MiB
 * body and sends 4 KiB of it, and still gets its 429 at once, which it could not if the server
 * waited for (or parsed) the body. The connection is closed after, not drained.
 */
class RateLimitBeforeBodyTest {
    @TempDir
    static Path dir;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer(dir, TestServer.Options.defaults().withRate(1, 1));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aClientOverItsLimitGets429BeforeItsBodyArrives() throws Exception {
        ApiClient api = new ApiClient(server.base);
        String body = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "large");
        // Buying takes the address's only invoice of the minute.
        String credential = api.buy(body);
        long invoices = server.invoiceCount();

        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.base.getPort()), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/l402/colorize-image HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (18L << 20) + "\r\n\r\n{\"image\":\"").getBytes(StandardCharsets.US_ASCII));
            out.write("A".repeat(4096).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            String answer = readAll(s.getInputStream());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("over the rate limit: %s after %d ms with 4 KiB of an 18 MiB body sent%n",
                    answer.lines().findFirst().orElse(""), ms);
            assertThat(answer).startsWith("HTTP/1.1 429");
            assertThat(answer).containsIgnoringCase("Retry-After:").contains("rate_limited");
            assertThat(ms).isLessThan(2000);
        }
        assertThat(server.invoiceCount()).isEqualTo(invoices);
        // With a credential the address does not decide: the request is read and judged as usual.
        assertThat(api.post("/api/l402/colorize-image", body, "Authorization", credential).statusCode()).isEqualTo(200);
    }

    /** Everything the server sends until it closes the connection (the refusal closes it). */
    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0;) {
            got.write(buffer, 0, n);
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }
}
