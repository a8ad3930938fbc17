package org.chroma402.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.chroma402.app.Assembly;
import org.chroma402.app.LightningBackends;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.app.config.RemoteInference;
import org.chroma402.app.config.Settings;
import org.chroma402.client.DevWallet;
import org.chroma402.colorize.image.OutputFormat;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.colorize.pipeline.ColorizationPipeline;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.lightning.PayOptions;
import org.chroma402.lightning.PaymentBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code chroma402 bench http}: a load generator over loopback against a server it starts itself (or,
 * with {@code --url}, a running server or fleet)
 * (development backend, a throw-away data directory, the configured models). It reports challenges
 * per second, the latency of a paid redeem whose result is already stored (the L402 gate, database
 * and response without the model), and the end-to-end time of a paid colorization, each next to a
 * baseline taken in the same run: {@code GET /healthz} for the first two, the engine alone on the
 * same photo (what {@code chroma402 bench} measures) for the last.
 */
@Command(name = "http", mixinStandardHelpOptions = true,
        description = "Load-test the paid API over loopback: challenges/s, redeem latency without the model, end-to-end latency.")
final class HttpBench implements Callable<Integer> {
    /** Unmeasured calls before each throughput figure, so the JIT has compiled the path measured. */
    private static final double WARM_UP_SECONDS = 1.0;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOptions options;

    @Option(names = {"-m", "--model"}, description = "Model for the end-to-end figure (default: ${DEFAULT-VALUE}).")
    String model = "large";
    @Option(names = "--size", paramLabel = "WxH", description = "Photo for the end-to-end figure (default: ${DEFAULT-VALUE}).")
    String size = "1024x1024";
    @Option(names = "--seconds", description = "Measuring time of each throughput figure (default: ${DEFAULT-VALUE}).")
    double seconds = 5;
    @Option(names = "--concurrency", description = "Clients in parallel for throughput figures (default: ${DEFAULT-VALUE}).")
    int concurrency = 8;
    @Option(names = "--redeems", description = "Paid redeems measured (default: ${DEFAULT-VALUE}).")
    int redeems = 200;
    @Option(names = {"-n", "--n"}, description = "End-to-end colorizations measured (default: ${DEFAULT-VALUE}).")
    int count = 3;
    @Option(names = "--url", paramLabel = "URL", description = "Measure this running server or fleet (its load balancer) "
            + "instead of one started here; pays with the configured wallet (a development server's own wallet).")
    URI url;

    /** Pays the measured invoices: the started server's development wallet, or the configured one for --url. */
    private PaymentBackend wallet;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int[] wh = BenchInputs.parseSize(size);
        if (wh == null || seconds <= 0 || concurrency < 1 || redeems < 1 || count < 1) {
            spec.commandLine().getErr().println("error: check --size (like 1024x1024), --seconds, --concurrency, --redeems and --n");
            return ExitCodes.USAGE;
        }
        Settings user = options.settings();
        Chroma402Config config = Chroma402Config.from(user);
        RemoteInference remote = RemoteInference.from(user);
        Path data = Files.createTempDirectory("chroma402-bench-");
        Map<String, String> values = new HashMap<>(user.asMap());
        values.put("data-dir", data.toString());
        values.put("models.dir", config.models().directory().toAbsolutePath().toString());
        values.put("server.host", "127.0.0.1");
        values.put("server.port", "0");
        values.put("lightning.backend", "dev");
        values.put("limits.challenges-per-minute", "100000000");
        values.put("limits.challenge-burst", "1000000");
        byte[] photo = BenchInputs.syntheticJpeg(wh[0], wh[1]);
        byte[] small = BenchInputs.syntheticJpeg(64, 64);
        byte[] fiftyKb = BenchInputs.syntheticJpeg(240, 240);
        for (int side = 280; fiftyKb.length < 50_000 && side <= 2000; side += 40) {
            fiftyKb = BenchInputs.syntheticJpeg(side, side);
        }
        double[] endToEnd;
        out.printf(Locale.ROOT, "machine %d CPU core(s); loopback HTTP/1.1; %d clients in parallel%n",
                Runtime.getRuntime().availableProcessors(), concurrency);
        Assembly.Service service = url == null ? Assembly.server(Settings.of(values)) : null;
        try {
            URI base = service == null ? URI.create(url.toString().replaceAll("/+$", "")) : URI.create("http://127.0.0.1:"
                    + service.server().start());
            wallet = service == null ? LightningBackends.wallet(user, base, java.time.Clock.systemUTC()) : new DevWallet(base);
            out.printf(Locale.ROOT, "target     %s%n", service == null ? base + " (running already)" : "a server started here");
            HttpRequest health = HttpRequest.newBuilder(base.resolve("/healthz")).GET().build();
            double healthRate = rate(() -> status(health, 200));
            out.printf(Locale.ROOT, "baseline   GET /healthz                 %8.0f req/s%n", healthRate);
            // Every challenge is a new photo (its bytes differ), as on a real server: nothing is cached.
            AtomicInteger variant = new AtomicInteger();
            for (Map.Entry<String, byte[]> unpaid : Map.of("50 KB", fiftyKb, "1 MP", BenchInputs.syntheticJpeg(1000, 1000))
                    .entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())).toList()) {
                byte[] jpeg = unpaid.getValue();
                Call challenge = () -> status(post(base, body(withComment(jpeg, variant.incrementAndGet()), 0), null), 402);
                // The split starts after the warm-up, as the rate does: the first size's split would otherwise carry the JIT's work.
                run(challenge, WARM_UP_SECONDS);
                Map<String, double[]> before = stageSeconds(base);
                Throughput challenges = run(challenge, seconds);
                Map<String, double[]> after = stageSeconds(base);
                out.printf(Locale.ROOT, "challenges POST without credential (402), %s JPEG (%d bytes) %8.0f req/s = %.3f x baseline (%d calls)%n",
                        unpaid.getKey(), jpeg.length, challenges.rate(), challenges.rate() / healthRate, challenges.calls());
                printSplit(out, before, after);
            }

            long[] healthLatency = latencies(redeems, () -> status(health, 200));
            List<String[]> paid = new ArrayList<>();
            // A few paid requests, computed once each; the measured redeems replay them, so no model runs.
            for (int i = 0; i < Math.min(redeems, 5); i++) {
                String body = body(small, -1 - i);
                String credential = pay(base, body);
                status(post(base, body, credential), 200);
                paid.add(new String[] {body, credential});
            }
            AtomicInteger next = new AtomicInteger();
            long[] redeemLatency = latencies(redeems, () -> {
                String[] p = paid.get(next.getAndIncrement() % paid.size());
                status(post(base, p[0], p[1]), 200);
            });
            out.printf(Locale.ROOT, "baseline   GET /healthz latency         p50 %6.2f ms  p90 %6.2f ms%n",
                    ms(pct(healthLatency, 50)), ms(pct(healthLatency, 90)));
            out.printf(Locale.ROOT, "redeem     paid POST, result stored     p50 %6.2f ms  p90 %6.2f ms = %.2f x baseline p50%n",
                    ms(pct(redeemLatency, 50)), ms(pct(redeemLatency, 90)),
                    (double) pct(redeemLatency, 50) / pct(healthLatency, 50));

            // One unmeasured run warms the model.
            endToEndOnce(base, body(photo, 0));
            double[] before = jobAndModelSeconds(base);
            endToEnd = new double[count];
            for (int i = 0; i < count; i++) {
                endToEnd[i] = endToEndOnce(base, body(photo, i + 1));
            }
            double[] after = jobAndModelSeconds(base);
            out.printf(Locale.ROOT, "server     per paid job (mean): decode to stored result %.0f ms, of which the model %.0f ms%n",
                    1000 * (after[0] - before[0]) / count, 1000 * (after[1] - before[1]) / count);
        } finally {
            if (service != null) {
                service.close();
            }
            if (wallet instanceof AutoCloseable connections) {
                connections.close();
            }
        }
        double engine;
        try (ColorizationEngine e = remote.enabled() ? Assembly.remoteEngine(config, remote, model) : Assembly.engine(config, model)) {
            ColorizationPipeline pipeline = Assembly.pipeline(config, e);
            pipeline.colorize(photo, OutputFormat.PNG);
            double[] times = new double[count];
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                pipeline.colorize(photo, OutputFormat.PNG);
                times[i] = System.nanoTime() - t0;
            }
            engine = median(times);
        }
        double e2e = median(endToEnd);
        out.printf(Locale.ROOT, "end-to-end %s, %dx%d JPEG: challenge+pay+redeem+download median %.0f ms%n", model, wh[0], wh[1],
                ms(e2e));
        out.printf(Locale.ROOT, "engine     same photo, decode to PNG (chroma402 bench%s) median %.0f ms; end-to-end = %.3f x engine%n",
                remote.enabled() ? ", on the engine.remote.urls servers" : "", ms(engine), e2e / engine);
        deleteTree(data);
        return ExitCodes.OK;
    }

    /** The same JPEG with a comment segment saying {@code n}: other bytes, same pixels, same decoding work. */
    static byte[] withComment(byte[] jpeg, int n) {
        byte[] text = ("chroma402 bench " + n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[jpeg.length + 4 + text.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        out[2] = (byte) 0xff;
        out[3] = (byte) 0xfe;
        out[4] = (byte) ((text.length + 2) >> 8);
        out[5] = (byte) (text.length + 2);
        System.arraycopy(text, 0, out, 6, text.length);
        System.arraycopy(jpeg, 2, out, 6 + text.length, jpeg.length - 2);
        return out;
    }

    /** Seconds and counts of each step of the unpaid path so far ({@code chroma402_challenge_stage_seconds}). */
    private Map<String, double[]> stageSeconds(URI base) throws Exception {
        String metrics = new String(send(HttpRequest.newBuilder(base.resolve("/metrics")).GET().build()).body());
        Map<String, double[]> out = new java.util.TreeMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "chroma402_challenge_stage_seconds_(sum|count)\\{[^}]*stage=\"([a-z0-9]+)\"[^}]*\\} ([0-9.eE+-]+)").matcher(metrics);
        while (m.find()) {
            double[] v = out.computeIfAbsent(m.group(2), k -> new double[2]);
            v[m.group(1).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(3));
        }
        return out;
    }

    /** Where a challenge's time went between two readings, in the order the steps run. */
    private static void printSplit(PrintWriter out, Map<String, double[]> before, Map<String, double[]> after) {
        List<String> order = List.of("body", "json", "base64", "probe", "validation", "invoice", "token", "database", "response");
        double total = 0;
        double challenges = 0;
        Map<String, Double> mean = new java.util.LinkedHashMap<>();
        for (String stage : order) {
            double[] a = after.get(stage);
            if (a == null) {
                continue;
            }
            double[] b = before.getOrDefault(stage, new double[2]);
            double count = a[1] - b[1];
            if (count > 0) {
                // Every challenge reads a body first: its count is the number of challenges the split covers.
                challenges = Math.max(challenges, count);
                mean.put(stage, (a[0] - b[0]) / count);
                total += (a[0] - b[0]) / count;
            }
        }
        if (mean.isEmpty()) {
            out.println("           (the target publishes no chroma402_challenge_stage_seconds: no split)");
            return;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "           split, mean over %.0f challenges:", challenges));
        for (Map.Entry<String, Double> e : mean.entrySet()) {
            line.append(String.format(Locale.ROOT, " %s %.2f ms (%.0f%%)", e.getKey(), 1000 * e.getValue(), 100 * e.getValue() / total));
        }
        out.println(line);
    }

    /** Total seconds of paid jobs and of model runs so far, from the server's Prometheus metrics. */
    private double[] jobAndModelSeconds(URI base) throws Exception {
        String metrics = new String(send(HttpRequest.newBuilder(base.resolve("/metrics")).GET().build()).body());
        double job = 0;
        double model = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("chroma402_job_latency_seconds_sum")) {
                job += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("chroma402_model_latency_seconds_sum")) {
                model += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new double[] {job, model};
    }

    /** Challenge, pay through the development wallet, redeem, download: the time a paying client waits. */
    private double endToEndOnce(URI base, String body) throws Exception {
        long t0 = System.nanoTime();
        String credential = pay(base, body);
        HttpResponse<byte[]> result = send(post(base, body, credential));
        if (result.statusCode() != 200) {
            throw new IllegalStateException("redeem failed: " + new String(result.body()));
        }
        JsonNode json = Json.MAPPER.readTree(result.body());
        HttpResponse<byte[]> image = send(HttpRequest.newBuilder(URI.create(json.get("image_url").asText())).GET().build());
        if (image.statusCode() != 200) {
            throw new IllegalStateException("download failed: " + image.statusCode());
        }
        return System.nanoTime() - t0;
    }

    private String pay(URI base, String body) throws Exception {
        HttpResponse<byte[]> challenge = send(post(base, body, null));
        if (challenge.statusCode() != 402) {
            throw new IllegalStateException("expected 402, got " + challenge.statusCode() + ": " + new String(challenge.body()));
        }
        L402Challenge c = L402Challenge.parse(challenge.headers().allValues("WWW-Authenticate").stream()
                .filter(h -> h.startsWith("L402")).findFirst().orElseThrow());
        return "L402 " + c.macaroonBase64() + ":" + wallet.pay(c.invoice(), PayOptions.DEFAULT).preimage().hex();
    }

    /** A distinct request body for each n (unknown fields are ignored), so every challenge is a new sale. */
    private String body(byte[] image, int n) {
        return "{\"image\":\"" + Base64.getEncoder().encodeToString(image) + "\",\"model_size\":\"" + model
                + "\",\"bench\":" + n + "}";
    }

    private static HttpRequest post(URI base, String body, String credential) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/api/l402/colorize-image"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (credential != null) {
            b.header("Authorization", credential);
        }
        return b.timeout(Duration.ofMinutes(5)).build();
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private void status(HttpRequest request, int expected) throws Exception {
        HttpResponse<byte[]> response = send(request);
        if (response.statusCode() == 429 && expected == 402) {
            throw new IllegalStateException("the target rate-limits invoices for this address: while measuring, raise "
                    + "limits.challenges-per-minute and limits.challenge-burst on it (each replica counts on its own)");
        }
        if (response.statusCode() != expected) {
            throw new IllegalStateException("expected " + expected + ", got " + response.statusCode() + ": "
                    + new String(response.body()));
        }
    }

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** Calls per second with {@code concurrency} clients, after a one-second warm-up. */
    private double rate(Call call) throws Exception {
        run(call, WARM_UP_SECONDS);
        return run(call, seconds).rate();
    }

    /** How many calls completed in how long. */
    private record Throughput(long calls, double seconds) {
        double rate() {
            return calls / seconds;
        }
    }

    private Throughput run(Call call, double duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            long end = System.nanoTime() + (long) (duration * 1e9);
            long start = System.nanoTime();
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                done.add(pool.submit(() -> {
                    int n = 0;
                    while (System.nanoTime() < end) {
                        call.run();
                        n++;
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            return new Throughput(total, (System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sequential latencies of {@code n} calls, after {@code n / 10} unmeasured ones. */
    private static long[] latencies(int n, Call call) throws Exception {
        for (int i = 0; i < Math.max(1, n / 10); i++) {
            call.run();
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            call.run();
            out[i] = System.nanoTime() - t0;
        }
        Arrays.sort(out);
        return out;
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double ms(double nanos) {
        return nanos / 1e6;
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // A temporary directory; the OS cleans it eventually.
        }
    }
}
