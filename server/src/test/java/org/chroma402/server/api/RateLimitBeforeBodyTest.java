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
 * A client over its invoice rate limit is refused from its address alone, and still reads its
 * answer: it sends a whole 18 MiB body at full speed and gets a readable 429 with Retry-After on a
 * connection that stays usable (refusing and closing while it uploaded reset the connection, and
 * the client saw no answer at all). The body is read and dropped, never gathered nor parsed.
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
    void aClientOverItsLimitReadsIts429AndKeepsItsConnection() throws Exception {
        ApiClient api = new ApiClient(server.base);
        String body = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "large");
        // Buying takes the address's only invoice of the minute.
        String credential = api.buy(body);
        long invoices = server.invoiceCount();

        byte[] large = ("{\"image\":\"" + "A".repeat((18 << 20) - 20) + "\"}").getBytes(StandardCharsets.US_ASCII);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.base.getPort()), 2000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int round = 0; round < 2; round++) {
                out.write(("POST /api/l402/colorize-image HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + large.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(large);
                out.flush();
                String answer = readResponse(in);
                assertThat(answer).startsWith("HTTP/1.1 429");
                assertThat(answer).containsIgnoringCase("Retry-After:").contains("rate_limited");
                assertThat(answer).doesNotContainIgnoringCase("Connection: close");
            }
        }
        assertThat(server.invoiceCount()).isEqualTo(invoices);
        // With a credential the address does not decide: the request is read and judged as usual.
        assertThat(api.post("/api/l402/colorize-image", body, "Authorization", credential).statusCode()).isEqualTo(200);
    }

    /** One HTTP/1.1 response with a Content-Length body: its head and body as text. */
    private static String readResponse(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the connection closed after: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = text.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .mapToInt(l -> Integer.parseInt(l.substring(15).strip())).findFirst().orElse(0);
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }
}
