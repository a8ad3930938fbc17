package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slow-body attack, bounded in count and time, over loopback only: 300 connections from 300
 * loopback addresses each announce a large body and trickle it a byte at a time. The minimum
 * upload rate drops them within seconds, so {@code /healthz} and a paid redeem still get through,
 * and the aborts are not counted as server failures. Takes about ten seconds of wall time.
 */
class SlowClientsTest {
    private static final int ATTACKERS = 300;

    @TempDir
    static Path dir;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer(dir, TestServer.Options.defaults()
                .withConnections(new ServerConfig.ConnectionLimits(16, 1024, 4096, Duration.ofSeconds(10))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void tricklingBodiesDoNotStopHealthChecksOrPaidRedeems() throws Exception {
        ApiClient api = new ApiClient(server.base);
        byte[] photo = TestResources.bytes("fixtures/inputs/buffalo.png");
        String body = ApiClient.body(photo, "large");
        String credential = api.buy(body);

        List<Socket> attackers = new ArrayList<>();
        try {
            for (int i = 0; i < ATTACKERS; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress("127.0." + (1 + i / 250) + "." + (1 + i % 250), 0));
                s.connect(new InetSocketAddress("127.0.0.1", server.base.getPort()), 2000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/l402/colorize-image HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                attackers.add(s);
            }
            // The attacker trickles on its own clock, whatever the server does meanwhile.
            java.util.concurrent.ScheduledExecutorService attacker = java.util.concurrent.Executors
                    .newSingleThreadScheduledExecutor();
            java.util.concurrent.atomic.AtomicInteger trickled = new java.util.concurrent.atomic.AtomicInteger();
            attacker.scheduleAtFixedRate(() -> trickled.addAndGet(trickle(attackers)), 0, 1500,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            int healthy = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(12).toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    HttpResponse<String> health = client.send(HttpRequest.newBuilder(server.uri("/healthz"))
                            .timeout(Duration.ofSeconds(8)).build(), HttpResponse.BodyHandlers.ofString());
                    if (health.statusCode() == 200) {
                        healthy++;
                    }
                    Thread.sleep(1500);
                }
            } finally {
                attacker.shutdownNow();
            }
            int trickles = trickled.get();
            assertThat(healthy).as("health checks answered during the attack").isGreaterThanOrEqualTo(3);
            assertThat(trickles).isGreaterThan(ATTACKERS);
            HttpResponse<byte[]> paid = api.post("/api/l402/colorize-image", body, "Authorization", credential);
            assertThat(paid.statusCode()).isEqualTo(200);
        } finally {
            for (Socket s : attackers) {
                s.close();
            }
        }
        String metrics = new String(api.get("/metrics").body());
        assertThat(metrics).doesNotContain("code=\"internal_error\"");
    }

    /**
     * A body that comes a byte a second is refused once it has had two seconds (it kept its
     * connection for minutes while bodies were gathered before dispatch), and one that stops coming
     * gets the API's JSON 408 at the idle timeout (it was the container's HTML 500 naming a
     * TimeoutException). Both on connections from addresses of their own.
     */
    @Test
    void tricklingAndStalledBodiesGetAJson408() throws Exception {
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<String> trickled = clients.submit(() -> slowUpload("127.0.9.1", 1000));
            java.util.concurrent.Future<String> stalled = clients.submit(() -> slowUpload("127.0.9.2", 0));
            String trickle = trickled.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(trickle).startsWith("HTTP/1.1 408").contains("\"error_code\":\"request_incomplete\"");
            String stall = stalled.get(25, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(stall).startsWith("HTTP/1.1 408").contains("\"error_code\":\"request_incomplete\"")
                    .doesNotContain("<html");
        } finally {
            clients.shutdownNow();
        }
    }

    /** Headers and "{", then a byte every {@code everyMillis} (0: nothing more); what the server answers. */
    private static String slowUpload(String from, long everyMillis) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", server.base.getPort()), 2000);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/l402/colorize-image HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 5000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    byte[] buffer = new byte[4096];
                    int n = s.getInputStream().read(buffer);
                    if (n < 0) {
                        break;
                    }
                    got.write(buffer, 0, n);
                } catch (java.net.SocketTimeoutException quiet) {
                    if (everyMillis > 0) {
                        try {
                            out.write(' ');
                            out.flush();
                        } catch (IOException closed) {
                            // refused: read what came
                        }
                    }
                } catch (IOException reset) {
                    break;
                }
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** One more byte on every connection the server has not closed yet; returns how many were sent. */
    private static int trickle(List<Socket> attackers) {
        int sent = 0;
        for (Socket s : attackers) {
            try {
                s.getOutputStream().write(' ');
                s.getOutputStream().flush();
                sent++;
            } catch (IOException dropped) {
                // The server gave up on this one, as it should.
            }
        }
        return sent;
    }
}
