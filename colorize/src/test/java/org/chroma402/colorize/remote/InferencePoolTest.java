package org.chroma402.colorize.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Inference servers that appear, fail and come back, as a fleet started in any order has them: a
 * loopback stub of the protocol's health and metadata endpoints on a fixed port, started late,
 * stopped and started again, while the pool probes it.
 */
class InferencePoolTest {
    private final List<HttpServer> stubs = new ArrayList<>();
    private final List<InferencePool> pools = new ArrayList<>();

    @AfterEach
    void stop() {
        pools.forEach(InferencePool::close);
        stubs.forEach(s -> s.stop(0));
    }

    /** A stub worker serving model {@code m} at {@code size}; {@code modelReady} is the model's own /ready status. */
    private HttpServer stub(int port, int size, AtomicInteger modelReady) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        byte[] metadata = OipMessages.modelMetadata(new OipMessages.ModelMetadata("m", "onnxruntime_onnx",
                List.of(new OipMessages.TensorSpec("input", "FP32", new long[] {-1, 3, size, size})),
                List.of(new OipMessages.TensorSpec("output", "FP32", new long[] {-1, 2, size, size}))));
        server.createContext("/v2/health/ready", ex -> answer(ex, 200, new byte[0]));
        server.createContext("/v2/models/m/ready", ex -> answer(ex, modelReady.get(), new byte[0]));
        server.createContext("/v2/models/m", ex -> {
            if (ex.getRequestURI().getPath().equals("/v2/models/m")) {
                answer(ex, 200, metadata);
            } else {
                answer(ex, 404, new byte[0]);
            }
        });
        server.start();
        stubs.add(server);
        return server;
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private InferencePool pool(int... ports) {
        List<InferenceServer> servers = new ArrayList<>();
        for (int port : ports) {
            servers.add(new InferenceServer(URI.create("http://127.0.0.1:" + port), "m", Duration.ofSeconds(5), null));
        }
        InferencePool pool = new InferencePool(servers, p -> { });
        pools.add(pool);
        return pool;
    }

    @Test
    void aServerThatStartsLateIsPickedUpAndOneThatStopsAndComesBackIsFollowed() throws Exception {
        int port = freePort();
        InferencePool pool = pool(port).start();
        assertThat(pool.model()).isEmpty();
        assertThat(pool.isReady()).isFalse();
        assertThat(pool.whyNotReady()).hasValue("no inference server is ready: connection refused");
        assertThat(pool.problems()).contains("127.0.0.1:" + port).contains("connection refused").doesNotContain("null");

        AtomicInteger modelReady = new AtomicInteger(200);
        HttpServer late = stub(port, 64, modelReady);
        pool.probe();
        assertThat(pool.model()).hasValueSatisfying(info -> assertThat(info.inputSize()).isEqualTo(64));
        assertThat(pool.isReady()).isTrue();
        assertThat(pool.whyNotReady()).isEmpty();

        modelReady.set(503);
        pool.probe();
        assertThat(pool.whyNotReady()).hasValue("no inference server is ready: HTTP 503 model not ready");

        late.stop(0);
        pool.probe();
        assertThat(pool.isReady()).isFalse();
        assertThat(pool.whyNotReady()).hasValue("no inference server is ready: connection refused");

        modelReady.set(200);
        stub(port, 64, modelReady);
        pool.probe();
        assertThat(pool.isReady()).isTrue();
    }

    @Test
    void theProbesRunByThemselvesEveryTwoSeconds() throws Exception {
        int port = freePort();
        AtomicInteger rounds = new AtomicInteger();
        InferencePool pool = new InferencePool(List.of(new InferenceServer(URI.create("http://127.0.0.1:" + port), "m",
                Duration.ofSeconds(5), null)), p -> rounds.incrementAndGet());
        pools.add(pool);
        pool.start();
        assertThat(rounds).hasValue(1);
        stub(port, 64, new AtomicInteger(200));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!pool.isReady() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(pool.isReady()).as("ready within two probe rounds").isTrue();
    }

    @Test
    void aServerWithAnotherModelShapeIsNotUsedAndSaysWhy() throws Exception {
        int first = freePort();
        int second = freePort();
        stub(first, 64, new AtomicInteger(200));
        stub(second, 128, new AtomicInteger(200));
        InferencePool pool = pool(first, second).start();
        assertThat(pool.isReady()).isTrue();
        assertThat(pool.pick(List.of())).extracting(InferenceServer::base).isEqualTo(URI.create("http://127.0.0.1:" + first + "/"));
        assertThat(pool.problems()).contains("127.0.0.1:" + second).contains("size 128").contains("size 64");
        stubs.get(0).stop(0);
        pool.probe();
        assertThat(pool.whyNotReady()).hasValueSatisfying(why -> assertThat(why)
                .startsWith("no inference server is ready (server 1: connection refused; server 2: serves"));
    }

    @Test
    void failuresAreSaidInWords() {
        Duration five = Duration.ofSeconds(5);
        assertThat(InferenceServer.why(new java.net.ConnectException(), five)).isEqualTo("connection refused");
        assertThat(InferenceServer.why(new IOException(new java.net.ConnectException()), five)).isEqualTo("connection refused");
        assertThat(InferenceServer.why(new HttpTimeoutException("request timed out"), five)).isEqualTo("timed out after 5 s");
        assertThat(InferenceServer.why(new HttpConnectTimeoutException("HTTP connect timed out"), five))
                .isEqualTo("no connection within 5 s");
        assertThat(InferenceServer.why(new IOException(), five)).isEqualTo("IOException");
    }
}
