package org.chroma402.server.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.colorize.pipeline.EngineSettings;
import org.chroma402.colorize.pipeline.ModelInfo;
import org.chroma402.colorize.pipeline.ModelRunner;
import org.chroma402.colorize.remote.OipMessages;
import org.chroma402.colorize.remote.OipTensor;
import org.chroma402.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code chroma402 worker} without a token, attacked over loopback: idle uploads from 300
 * addresses, a body announced larger than any batch, and big batches ahead of a one-image
 * request. A fake model (runs take 20 ms, inputs 256x256) keeps it fast; the limits are the real ones.
 */
class InferenceWorkerLimitsTest {
    private static final int S = 256;
    private static final int ATTACKERS = 300;

    private final List<Float> ran = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hold;
    private ColorizationEngine engine;
    private InferenceWorker worker;
    private int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        ModelRunner runner = new ModelRunner() {
            @Override
            public ModelInfo info() {
                return new ModelInfo("input", "output", new long[] {-1, 3, S, S}, new long[] {-1, 2, S, S}, S, true, false);
            }

            @Override
            public float[][] run(float[][] tensors) {
                try {
                    if (hold) {
                        release.await(20, TimeUnit.SECONDS);
                    }
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                float[][] out = new float[tensors.length][];
                for (int i = 0; i < tensors.length; i++) {
                    ran.add(tensors[i][0]);
                    out[i] = new float[2 * S * S];
                }
                return out;
            }

            @Override
            public void close() {
            }
        };
        engine = new ColorizationEngine(runner, new EngineSettings(1, 4, 1000), "large").start();
        worker = new InferenceWorker(Map.of("large", engine), "127.0.0.1", 0, "test", null,
                new ServerConfig.ConnectionLimits(16, 1024, 4096, Duration.ofSeconds(30)));
        port = worker.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        worker.close();
        engine.close();
    }

    @Test
    void idleUploadsFrom300AddressesLeaveHealthAndInferenceAnswering() throws Exception {
        List<Socket> attackers = new ArrayList<>();
        try {
            for (int i = 0; i < ATTACKERS; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress("127.0." + (1 + i / 250) + "." + (1 + i % 250), 0));
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.getOutputStream().write(("POST /v2/models/large/infer HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                attackers.add(s);
            }
            Thread.sleep(500);
            int busy = threadsInHandlers();
            long h0 = System.nanoTime();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/v2/health/ready"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            long healthMs = (System.nanoTime() - h0) / 1_000_000;
            long i0 = System.nanoTime();
            HttpResponse<byte[]> inferred = infer(1, 3f);
            long inferMs = (System.nanoTime() - i0) / 1_000_000;
            System.out.printf("worker, %d idle uploads: %d threads in handlers; health %d ms; one-image infer %d ms%n",
                    ATTACKERS, busy, healthMs, inferMs);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(inferred.statusCode()).isEqualTo(200);
            assertThat(busy).isLessThan(5);
            assertThat(healthMs).isLessThan(2000);
            assertThat(inferMs).isLessThan(5000);
        } finally {
            for (Socket s : attackers) {
                s.close();
            }
        }
    }

    @Test
    void aBodyAnnouncedLargerThanTheLargestBatchIsRefusedBeforeItIsRead() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v2/models/large/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (1L << 30) + "\r\n\r\n{\"inputs\":[").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            String answer = readAll(s.getInputStream());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("worker, 1 GiB announced: %s after %d ms%n", answer.lines().findFirst().orElse(""), ms);
            assertThat(answer).startsWith("HTTP/1.1 413");
            assertThat(ms).isLessThan(2000);
        }
        // A JSON request of more values than 16 images is refused from its shape, its data unread.
        String tooMany = "{\"inputs\":[{\"name\":\"input\",\"shape\":[17,3," + S + "," + S + "],\"datatype\":\"FP32\",\"data\":[0]}]}";
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri("/v2/models/large/infer"))
                .POST(HttpRequest.BodyPublishers.ofString(tooMany)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("more than the " + 16 * 3 * S * S);
    }

    @Test
    void aOneImageRequestTakesItsTurnAmongBigBatches() throws Exception {
        hold = true;
        List<CompletableFuture<HttpResponse<byte[]>>> big = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            big.add(inferAsync(16, 1f));
        }
        awaitWaiting(4 * 16 - 4);
        CompletableFuture<HttpResponse<byte[]>> small = inferAsync(1, 7f);
        awaitWaiting(4 * 16 - 4 + 1);
        release.countDown();
        assertThat(small.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        for (CompletableFuture<HttpResponse<byte[]>> b : big) {
            assertThat(b.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        int ahead = ran.indexOf(7f);
        System.out.printf("worker, 4 requests of 16 images then 1 of 1: %d images ran before the single one "
                + "(in arrival order it would be 64)%n", ahead);
        assertThat(ahead).isBetween(0, 12);
    }

    private void awaitWaiting(int images) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (worker.waiting("large") < images && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(worker.waiting("large")).isEqualTo(images);
    }

    private HttpResponse<byte[]> infer(int images, float value) throws Exception {
        return inferAsync(images, value).get(30, TimeUnit.SECONDS);
    }

    private CompletableFuture<HttpResponse<byte[]>> inferAsync(int images, float value) {
        float[] data = new float[images * 3 * S * S];
        Arrays.fill(data, value);
        OipMessages.Body body = OipMessages.inferRequest("r", List.of(OipTensor.fp32("input", new long[] {images, 3, S, S}, data)),
                List.of("output"));
        return http.sendAsync(HttpRequest.newBuilder(uri("/v2/models/large/infer"))
                .header(OipMessages.HEADER_LENGTH, Integer.toString(body.jsonLength()))
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int threadsInHandlers() {
        return (int) Thread.getAllStackTraces().values().stream()
                .filter(stack -> Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("io.javalin.")))
                .count();
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0;) {
            got.write(buffer, 0, n);
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }
}
