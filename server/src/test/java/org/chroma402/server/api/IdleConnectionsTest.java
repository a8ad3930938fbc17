package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
 * The idle-body attack, bounded in count and time, over loopback only: 300 connections from 300
 * loopback addresses each send a POST's headers with a Content-Length and then nothing, and stay
 * open well inside the idle timeout. Their bodies are gathered without a thread, so they take no
 * request threads at all, {@code /healthz} answers at once and a paid redeem runs as fast as it
 * does with no attack. Before, each held a thread until the idle timeout: health checks timed out.
 */
class IdleConnectionsTest {
    private static final int ATTACKERS = 300;

    @TempDir
    static Path dir;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer(dir, TestServer.Options.defaults()
                .withConnections(new ServerConfig.ConnectionLimits(16, 1024, 4096, Duration.ofSeconds(30))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void idleUploadsHoldNoThreadsSoHealthAndPaidRedeemsAnswerAtOnce() throws Exception {
        ApiClient api = new ApiClient(server.base);
        byte[] photo = TestResources.bytes("fixtures/inputs/buffalo.png");
        String body = ApiClient.body(photo, "large");
        long t0 = System.nanoTime();
        assertThat(api.post("/api/l402/colorize-image", body, "Authorization", api.buy(body)).statusCode()).isEqualTo(200);
        long unloadedMs = (System.nanoTime() - t0) / 1_000_000;
        String credential = api.buy(body);
        int threadsBefore = requestThreads();

        List<Socket> attackers = new ArrayList<>();
        try {
            for (int i = 0; i < ATTACKERS; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress("127.0." + (1 + i / 250) + "." + (1 + i % 250), 0));
                s.connect(new InetSocketAddress("127.0.0.1", server.base.getPort()), 2000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/l402/colorize-image HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                attackers.add(s);
            }
            Thread.sleep(500);
            int threadsDuring = requestThreads();

            long h0 = System.nanoTime();
            assertThat(api.get("/healthz").statusCode()).isEqualTo(200);
            long healthMs = (System.nanoTime() - h0) / 1_000_000;
            long p0 = System.nanoTime();
            assertThat(api.post("/api/l402/colorize-image", body, "Authorization", credential).statusCode()).isEqualTo(200);
            long paidMs = (System.nanoTime() - p0) / 1_000_000;

            int open = stillOpen(attackers);
            System.out.printf("idle attack: %d connections held open, request threads %d before, %d during; "
                    + "healthz %d ms; paid redeem %d ms (%d ms unloaded)%n", open, threadsBefore, threadsDuring, healthMs,
                    paidMs, unloadedMs);
            assertThat(open).as("idle connections the server still holds (no threads for them)").isEqualTo(ATTACKERS);
            assertThat(threadsDuring - threadsBefore).as("request threads the idle uploads took").isLessThan(5);
            assertThat(healthMs).isLessThan(2000);
            assertThat(paidMs).isLessThan(Math.max(5000, unloadedMs * 3));
        } finally {
            for (Socket s : attackers) {
                s.close();
            }
        }
    }

    /** Threads inside the application's servlet now: each idle upload dispatched to it would hold one. */
    private static int requestThreads() {
        return (int) Thread.getAllStackTraces().values().stream()
                .filter(stack -> java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("io.javalin.")))
                .count();
    }

    /** How many attacker connections have had no answer and no close from the server. */
    private static int stillOpen(List<Socket> attackers) throws Exception {
        int open = 0;
        for (Socket s : attackers) {
            s.setSoTimeout(1);
            InputStream in = s.getInputStream();
            try {
                if (in.read() < 0) {
                    continue;
                }
            } catch (SocketTimeoutException silent) {
                open++;
            } catch (java.io.IOException reset) {
                // closed by the server
            }
        }
        return open;
    }
}
