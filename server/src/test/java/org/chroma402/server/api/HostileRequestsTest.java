package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.chroma402.colorize.testing.HostileImages;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.ProcessCpu;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks by an unpaid stranger, over real HTTP on loopback, each with the bound that holds it:
 * hostile credentials and photos cost little CPU (measured for the whole process), never a 5xx,
 * and never an invoice for a request that cannot be served.
 */
class HostileRequestsTest {
    private static final byte[] PHOTO = TestResources.bytes("fixtures/inputs/buffalo.png");
    private static final String PREIMAGE = "ab".repeat(32);

    @TempDir
    static Path dir;
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        server = new TestServer(dir);
        api = new ApiClient(server.base);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long invoices() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("devnode/invoices"))) {
            return files.count();
        }
    }

    @Test
    void malformedCredentialsAreRefusedCheaplyAndNeverWith500() {
        String body = ApiClient.body(PHOTO, "large");
        List<String> headers = List.of("L402" + " ".repeat(7000) + "x", "L402 ,,,:" + PREIMAGE, "L402 :" + PREIMAGE,
                "LSAT " + "=".repeat(7000) + ":" + PREIMAGE, "L402 " + ":".repeat(7000), "L402 AAAA,,AAAA:" + PREIMAGE,
                "Bearer x", "L402 \u00e9\u00e9:" + PREIMAGE, "L402 " + "A".repeat(7000) + ":zz");
        double before = ProcessCpu.seconds();
        for (int round = 0; round < 5; round++) {
            for (String header : headers) {
                HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", body, "Authorization", header);
                String what = header.substring(0, Math.min(30, header.length()));
                // A broken L402 credential is a 401 "malformed"; another scheme is no credential (402). Both
                // come with a fresh challenge.
                if (header.startsWith("Bearer")) {
                    assertThat(response.statusCode()).as(what).isEqualTo(402);
                    assertThat(response.headers().firstValue("X-Error-Code")).hasValue("payment_required");
                } else {
                    assertThat(response.statusCode()).as(what).isEqualTo(401);
                    assertThat(response.headers().firstValue("X-Error-Code")).as(what).hasValue("malformed");
                }
                assertThat(response.headers().allValues("WWW-Authenticate")).hasSize(3);
            }
        }
        // 45 requests, each also minting an invoice; the backtracking pattern cost ~1.5 s for one.
        assertThat(ProcessCpu.seconds() - before).isLessThan(10.0);
    }

    @Test
    void aProgressiveJpegScanBombIsRefusedBeforeAnyDecodingOrInvoice() throws IOException {
        byte[] bomb = HostileImages.progressiveScanBomb(6000, 6000, 1000);
        assertThat(bomb.length).isLessThan(4 << 20);
        long invoicesBefore = invoices();
        double before = ProcessCpu.seconds();
        HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", ApiClient.body(bomb, "large"));
        double cpu = ProcessCpu.seconds() - before;
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(response).get("error_code").asText()).isEqualTo("image_too_complex");
        assertThat(invoices()).isEqualTo(invoicesBefore);
        // Decoding it took ~75 CPU-seconds; the structure check reads it once.
        assertThat(cpu).isLessThan(5.0);
    }

    @Test
    void aFortyMegapixelSixteenBitPngIsCheckedAtAFractionOfItsDecodingCost() throws IOException {
        byte[] png = HostileImages.sixteenBitRgbaPng(6400, 6250);
        assertThat(png.length).isLessThan(1 << 20);
        double before = ProcessCpu.seconds();
        HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", ApiClient.body(png, "large"));
        double cpu = ProcessCpu.seconds() - before;
        // It is a real, decodable photo: it gets an invoice, but its check decodes into a megapixel.
        assertThat(response.statusCode()).isEqualTo(402);
        assertThat(cpu).isLessThan(5.0);
    }

    @Test
    void bodiesThatAreNotJsonAreRefusedWith415() throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                server.uri("/api/l402/colorize-image")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(ApiClient.body(PHOTO, "large"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(ApiClient.json(response).get("error_code").asText()).isEqualTo("unsupported_media_type");
        HttpResponse<byte[]> untyped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                server.uri("/api/l402/colorize-image")).POST(HttpRequest.BodyPublishers.ofString(
                ApiClient.body(PHOTO, "large"))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(untyped.statusCode()).isEqualTo(402);
    }

    @Test
    void aRefusalMadeBeforeTheBodyArrivedReachesAClientStillUploadingIt() throws Exception {
        // A busy client whose body comes after the server has refused the request (here: after
        // waiting a second for an early answer). The answer must still reach it, on a connection
        // that stays usable: it used to come early, with "Connection: close", and the body
        // arriving afterwards made Jetty close the connection unread, so the kernel reset it and
        // a client still uploading lost the answer.
        byte[] body = ApiClient.body(PHOTO, "large").getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket(server.base.getHost(), server.base.getPort())) {
            OutputStream out = socket.getOutputStream();
            PushbackInputStream in = new PushbackInputStream(socket.getInputStream());
            out.write(("POST /api/l402/colorize-image HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(1000);
            try {
                in.unread(in.read());
            } catch (SocketTimeoutException expected) {
                // No early answer: the server is reading the body.
            }
            socket.setSoTimeout(10_000);
            out.write(body);
            out.flush();
            String refusal = readResponse(in);
            assertThat(refusal).startsWith("HTTP/1.1 415").contains("unsupported_media_type")
                    .doesNotContainIgnoringCase("connection: close");
            out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void anOverLongInvoiceForTheQrCodeIs400() {
        HttpResponse<byte[]> response = api.get("/api/l402/qr.svg?invoice=lnbcrt1" + "q".repeat(4000));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("X-Error-Code")).hasValue("invalid_invoice");
    }

    @Test
    void metricsLabelsStayBounded() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String method : List.of("FOO", "BAR", "PROPFIND")) {
            client.send(HttpRequest.newBuilder(server.uri("/healthz")).method(method, HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.discarding());
        }
        api.get("/api/l402/jobs/" + "0".repeat(32));
        String metrics = new String(api.get("/metrics").body());
        assertThat(metrics).doesNotContain("method=\"FOO\"").doesNotContain("method=\"PROPFIND\"");
        assertThat(metrics).contains("route=\"/api/l402/jobs/{id}\"").doesNotContain("route=\"*\"");
    }

    @Test
    void forwardedHeadersAreIgnoredWithoutATrustedProxy() {
        JsonNode wellKnown = ApiClient.json(api.get("/.well-known/l402.json", "X-Forwarded-Host", "evil.example",
                "X-Forwarded-Proto", "javascript"));
        assertThat(wellKnown.get("openapi").asText()).startsWith(server.base.toString());
    }

    /** One HTTP/1.1 response with a Content-Length body, as text, read off a raw connection. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.length() + " bytes: " + head);
            }
            head.append((char) b);
        }
        int length = head.toString().lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .map(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).strip())).findFirst().orElse(0);
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    static URI uri(String s) {
        return URI.create(s);
    }
}
