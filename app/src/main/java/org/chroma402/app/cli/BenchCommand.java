package org.chroma402.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.chroma402.app.Assembly;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.app.config.RemoteInference;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.OutputFormat;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.model.Precision;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.colorize.pipeline.ColorizationPipeline;
import org.chroma402.colorize.pipeline.ColorizedPhoto;
import org.chroma402.colorize.pipeline.ModelInfo;
import org.chroma402.colorize.pipeline.StageTimings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code chroma402 bench}: images per second and latency percentiles for one model, with the
 * time split into decode, pre-process, queue, inference, post-process and encode, so what
 * Chroma402 adds around the model shows as a share of the model's own time.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {L402Bench.class, HttpBench.class},
        description = "Measure colorization speed end to end (decode to encode) for one model.")
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOptions options;

    @Option(names = {"-m", "--model"}, description = "large, tiny or a path to an .onnx file (default: ${DEFAULT-VALUE}).")
    String model = "large";
    @Option(names = "--size", paramLabel = "WxH", description = "Size of the synthetic test photo (default: ${DEFAULT-VALUE}).")
    String size = "1024x1024";
    @Option(names = "--image", paramLabel = "FILE", description = "Use this photo instead of a synthetic one.")
    Path image;
    @Option(names = {"-n", "--n"}, description = "Measured colorizations (default: ${DEFAULT-VALUE}).")
    int count = 10;
    @Option(names = "--warmup", description = "Unmeasured colorizations first (default: ${DEFAULT-VALUE}).")
    int warmup = 2;
    @Option(names = "--concurrency", description = "Colorizations in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency = 1;
    @Option(names = {"-f", "--format"}, description = "Output format, png or jpeg (default: ${DEFAULT-VALUE}).")
    String format = "png";
    @Option(names = "--remote", paramLabel = "URL", description = "Also run the model on this Open Inference Protocol "
            + "server (chroma402 worker, Triton) and report remote against in-process time, measured in turns.")
    java.net.URI remote;
    @Option(names = "--precision", description = "fp32, or int8 to measure INT8 against fp32 on the same photo in one run: "
            + "model time ratio and the colour difference of the outputs (CIEDE2000 mean and 95th percentile).")
    String precision;
    @Option(names = "--judge-on", paramLabel = "FILE", arity = "1..*", description = "With --precision int8: also measure the "
            + "colour difference on these photos (pooled with the bench photo's).")
    List<Path> judgeOn = List.of();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (count < 1 || warmup < 0 || concurrency < 1) {
            spec.commandLine().getErr().println("error: --n and --concurrency must be at least 1");
            return ExitCodes.USAGE;
        }
        byte[] input;
        String described;
        if (image != null) {
            input = Files.readAllBytes(image);
            described = image.getFileName().toString();
        } else {
            int[] wh = BenchInputs.parseSize(size);
            if (wh == null) {
                spec.commandLine().getErr().println("error: --size must look like 1024x768");
                return ExitCodes.USAGE;
            }
            input = BenchInputs.syntheticJpeg(wh[0], wh[1]);
            described = "synthetic " + wh[0] + "x" + wh[1] + " JPEG";
        }
        OutputFormat outputFormat = OutputFormat.parse(format);
        Chroma402Config config = options.config();
        try (ColorizationEngine engine = Assembly.engine(config, model)) {
            ColorizationPipeline pipeline = Assembly.pipeline(config, engine);
            ModelInfo info = engine.info();
            out.printf(Locale.ROOT, "model   %s: input %dx%d%s, %d concurrent run(s), %d CPU core(s)%n", model,
                    info.inputSize(), info.inputSize(), info.dynamicBatch() ? ", dynamic batch" : "",
                    engine.settings().maxConcurrentRuns(), Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "image   %s, %s; output %s; %d warm-up + %d measured, concurrency %d%n", described,
                    ProgressBar.size(input.length), outputFormat.name().toLowerCase(Locale.ROOT), warmup, count, concurrency);
            for (int i = 0; i < warmup; i++) {
                pipeline.colorize(input, outputFormat);
            }
            Result result = measure(pipeline, input, outputFormat);
            print(out, result);
            if (remote != null) {
                compareRemote(out, config, pipeline, input, outputFormat);
            }
            if (precision != null && Precision.parse(precision) == Precision.INT8) {
                compareInt8(out, config, pipeline, input);
            }
        } catch (ColorizationException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    /**
     * In-process and remote runs of the same photo, alternated so both see the same machine load:
     * the ratio is what moving the model to an inference server costs per image.
     */
    private void compareRemote(PrintWriter out, Chroma402Config config, ColorizationPipeline local, byte[] input,
            OutputFormat outputFormat) throws Exception {
        RemoteInference servers = RemoteInference.from(options.settings());
        RemoteInference one = new RemoteInference(List.of(remote), options.settings(), servers.token(), servers.timeout());
        try (ColorizationEngine engine = Assembly.remoteEngine(config, one, model)) {
            ColorizationPipeline far = Assembly.pipeline(config, engine);
            far.colorize(input, outputFormat);
            long[] here = new long[count];
            long[] there = new long[count];
            boolean identical = true;
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                byte[] a = local.colorize(input, outputFormat).bytes();
                here[i] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                byte[] b = far.colorize(input, outputFormat).bytes();
                there[i] = System.nanoTime() - t0;
                identical &= Arrays.equals(a, b);
            }
            Arrays.sort(here);
            Arrays.sort(there);
            out.printf(Locale.ROOT, "remote  %s: median %.1f ms against %.1f ms in process = %.3f x; outputs %s%n", remote,
                    ms(there[count / 2]), ms(here[count / 2]), (double) there[count / 2] / here[count / 2],
                    identical ? "byte-identical" : "DIFFERENT");
        }
    }

    /** INT8 against fp32 on the same photo, alternated so both see the same machine load. */
    private void compareInt8(PrintWriter out, Chroma402Config config, ColorizationPipeline exact, byte[] input) throws Exception {
        ImageDecoder decoder = new ImageDecoder(config.limits());
        List<RgbImage> photos = new ArrayList<>();
        photos.add(decoder.decode(input));
        for (Path photo : judgeOn) {
            photos.add(decoder.decode(Files.readAllBytes(photo)));
        }
        Int8Comparison.Result r = Int8Comparison.run(config, model, exact, photos, count);
        out.printf(Locale.ROOT, "int8    model run median %.1f ms against fp32 %.1f ms = %.2f x faster%n", ms(r.int8Nanos()),
                ms(r.fp32Nanos()), (double) r.fp32Nanos() / r.int8Nanos());
        out.println("int8    " + r.describeColours());
    }

    record Result(long wallNanos, long[] latencies, List<StageTimings> timings, int width, int height) {
    }

    private Result measure(ColorizationPipeline pipeline, byte[] input, OutputFormat outputFormat) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<long[]>> latencyFutures = new ArrayList<>();
            List<StageTimings> timings = java.util.Collections.synchronizedList(new ArrayList<>());
            int[] size = new int[2];
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                latencyFutures.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    ColorizedPhoto photo = pipeline.colorize(input, outputFormat);
                    long t = System.nanoTime() - t0;
                    timings.add(photo.timings());
                    size[0] = photo.width();
                    size[1] = photo.height();
                    return new long[] {t};
                }));
            }
            long[] latencies = new long[count];
            for (int i = 0; i < count; i++) {
                latencies[i] = latencyFutures.get(i).get()[0];
            }
            long wall = System.nanoTime() - start;
            Arrays.sort(latencies);
            return new Result(wall, latencies, timings, size[0], size[1]);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void print(PrintWriter out, Result r) {
        int n = r.latencies().length;
        double perSecond = n / (r.wallNanos() / 1e9);
        out.printf(Locale.ROOT, "result  %.3f images/s; latency ms p50 %.1f  p90 %.1f  p99 %.1f  max %.1f (photo %dx%d)%n",
                perSecond, ms(percentile(r.latencies(), 50)), ms(percentile(r.latencies(), 90)),
                ms(percentile(r.latencies(), 99)), ms(r.latencies()[n - 1]), r.width(), r.height());
        double decode = mean(r.timings(), StageTimings::decodeNanos);
        double pre = mean(r.timings(), StageTimings::preprocessNanos);
        double queue = mean(r.timings(), StageTimings::queueNanos);
        double inference = mean(r.timings(), StageTimings::inferenceNanos);
        double post = mean(r.timings(), StageTimings::postprocessNanos);
        double encode = mean(r.timings(), StageTimings::encodeNanos);
        double total = decode + pre + queue + inference + post + encode;
        out.println("stages  mean ms (share of one colorization)");
        stage(out, "decode", decode, total);
        stage(out, "preprocess", pre, total);
        stage(out, "queue", queue, total);
        stage(out, "inference", inference, total);
        stage(out, "postprocess", post, total);
        stage(out, "encode", encode, total);
        double overhead = decode + pre + post + encode;
        out.printf(Locale.ROOT, "overhead  decode+pre+post+encode = %.1f ms = %.3f x inference (%.1f%% of the total)%n",
                ms(overhead), overhead / inference, 100 * overhead / total);
    }

    private static void stage(PrintWriter out, String name, double nanos, double total) {
        out.printf(Locale.ROOT, "  %-12s %9.1f  %5.1f%%%n", name, ms(nanos), 100 * nanos / total);
    }

    private static double mean(List<StageTimings> timings, java.util.function.ToLongFunction<StageTimings> f) {
        return timings.stream().mapToLong(f).average().orElse(0);
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(double nanos) {
        return nanos / 1e6;
    }
}
