package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.chroma402.colorize.testing.HostileImages;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.ProcessCpu;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One address, within the default rate limit, sends distinct 40-megapixel progressive JPEGs made
 * to be as costly to check as it can (exactly 100 scans, and the most a 40-megapixel one may have),
 * while other customers ask for ordinary challenges: they still get their 402s, because a 40-MP
 * JPEG with 100 scans is refused from its structure and one address holds at most half of the
 * checking slots.
 */
class UnpaidCheckFairnessTest {
    private static final String PATH = "/api/l402/colorize-image";

    @TempDir
    Path dir;

    @Test
    void oneAddressFloodingTheUnpaidCheckLeavesOthersTheirChallenges() throws Exception {
        byte[] hundredScans = HostileImages.progressiveScanBomb(7200, 5500, 94);
        byte[] twelveScans = HostileImages.progressiveScanBomb(7200, 5500, 6);
        byte[] ordinary = PaidQueueTest.photo(640, 480, 5);
        TestServer.Options options = TestServer.Options.defaults().withRate(30, 10)
                // Two slots, as on a four-core machine: the flooder may hold one of them.
                .withUnpaidDecoding(2, Duration.ofSeconds(10))
                .withListening(l -> new ServerConfig.Listening(l.host(), l.port(), null, l.corsOrigins(), true, 1, List.of()));
        try (TestServer server = new TestServer(dir, options)) {
            ApiClient api = new ApiClient(server.base);
            long stopAt = System.nanoTime() + Duration.ofSeconds(16).toNanos();
            AtomicInteger sequence = new AtomicInteger();
            ConcurrentHashMap<Integer, AtomicInteger> flood = new ConcurrentHashMap<>();
            ExecutorService threads = Executors.newFixedThreadPool(7);
            double cpu0 = ProcessCpu.seconds();
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                running.add(threads.submit(() -> {
                    while (System.nanoTime() < stopAt) {
                        int n = sequence.incrementAndGet();
                        byte[] image = distinct(n % 2 == 0 ? hundredScans : twelveScans, n);
                        int status = api.post(PATH, ApiClient.body(image, "large"), "X-Forwarded-For", "10.66.0.1").statusCode();
                        flood.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        if (status == 429) {
                            sleep(500);
                        }
                    }
                    return null;
                }));
            }
            ConcurrentHashMap<Integer, AtomicInteger> others = new ConcurrentHashMap<>();
            sleep(1000);
            for (int c = 0; c < 3; c++) {
                String address = "10.1.0." + c;
                running.add(threads.submit(() -> {
                    // Eight challenges each, well within the rate limit, spread over the flood.
                    for (int i = 0; i < 8 && System.nanoTime() < stopAt; i++) {
                        byte[] image = distinct(ordinary, sequence.incrementAndGet());
                        int status = api.post(PATH, ApiClient.body(image, "large"), "X-Forwarded-For", address).statusCode();
                        others.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        sleep(1500);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            threads.shutdown();
            double cpu = ProcessCpu.seconds() - cpu0;
            int othersTotal = others.values().stream().mapToInt(AtomicInteger::get).sum();
            int othersPaid = others.getOrDefault(402, new AtomicInteger()).get();
            System.out.printf("flooder's answers %s; others' answers %s: %d of %d got their 402; CPU %.1f s%n", flood, others,
                    othersPaid, othersTotal, cpu);
            assertThat(othersTotal).isGreaterThanOrEqualTo(18);
            assertThat(othersPaid).as("others' challenges: %s", others).isGreaterThanOrEqualTo(othersTotal * 9 / 10);
            assertThat(flood.getOrDefault(400, new AtomicInteger()).get()).as("100-scan 40-MP JPEGs refused").isPositive();
        }
    }

    /** The same JPEG with a comment segment after SOI: other bytes, so no check is skipped as already done. */
    private static byte[] distinct(byte[] jpeg, int n) {
        byte[] text = ("n=" + n).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + text.length + 4);
        out.write(jpeg, 0, 2);
        out.write(0xff);
        out.write(0xfe);
        out.write((text.length + 2) >> 8);
        out.write((text.length + 2) & 0xff);
        out.write(text, 0, text.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
