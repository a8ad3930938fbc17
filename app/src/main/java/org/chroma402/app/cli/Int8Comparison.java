package org.chroma402.app.cli;

import java.util.Arrays;
import java.util.Locale;
import org.chroma402.app.Assembly;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.color.ColourDifference;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.model.Precision;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.colorize.pipeline.ColorizationPipeline;

/**
 * One photo through a model in float32 and in INT8, in turns: how much faster INT8 runs the
 * model, and how far its colours are from the exact ones (CIEDE2000 per pixel; about 1 is a
 * just-noticeable difference). What {@code bench --precision int8} and {@code models verify
 * --precision int8} report.
 */
final class Int8Comparison {
    /** Median model times and the per-pixel colour differences of the last pair, sorted. */
    record Result(long fp32Nanos, long int8Nanos, double[] deltas) {
        String describeColours() {
            return String.format(Locale.ROOT, "colour difference from fp32: CIEDE2000 mean %.3f, p95 %.3f, max %.3f over %d pixels",
                    ColourDifference.mean(deltas), ColourDifference.percentile(deltas, 95), deltas[deltas.length - 1], deltas.length);
        }
    }

    private Int8Comparison() {
    }

    static Result run(Chroma402Config config, String model, ColorizationPipeline exact, RgbImage photo, int rounds)
            throws ColorizationException, InterruptedException {
        try (ColorizationEngine engine = Assembly.engine(config.withPrecision(Precision.INT8), model)) {
            ColorizationPipeline int8 = Assembly.pipeline(config, engine);
            int8.colorize(photo);
            long[] fp32 = new long[rounds];
            long[] fast = new long[rounds];
            RgbImage a = null;
            RgbImage b = null;
            for (int i = 0; i < rounds; i++) {
                ColorizationPipeline.Colorized x = exact.colorize(photo);
                ColorizationPipeline.Colorized y = int8.colorize(photo);
                fp32[i] = x.timings().inferenceNanos();
                fast[i] = y.timings().inferenceNanos();
                a = x.image();
                b = y.image();
            }
            Arrays.sort(fp32);
            Arrays.sort(fast);
            return new Result(fp32[rounds / 2], fast[rounds / 2], ColourDifference.perPixel(a, b));
        }
    }
}
