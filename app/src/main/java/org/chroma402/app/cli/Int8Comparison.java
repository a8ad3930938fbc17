package org.chroma402.app.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.chroma402.app.Assembly;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.color.ColourDifference;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.model.Int8Models;
import org.chroma402.colorize.model.Precision;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.colorize.pipeline.ColorizationPipeline;

/**
 * A model in float32 and in INT8 on the same photos, in turns: how much faster INT8 runs the
 * model (on the first photo), and how far its colours are from the exact ones over all of them
 * (CIEDE2000 per pixel; about 1 is a just-noticeable difference). What {@code bench --precision
 * int8} and {@code models verify --precision int8} report.
 */
final class Int8Comparison {
    /** Median model times, and the per-pixel colour differences over all photos, sorted. */
    record Result(long fp32Nanos, long int8Nanos, double[] deltas, int photos) {
        String describeColours() {
            return String.format(Locale.ROOT, "colour difference from fp32: CIEDE2000 mean %.3f, p95 %.3f, max %.3f over %d pixels of %d photo%s",
                    ColourDifference.mean(deltas), ColourDifference.percentile(deltas, 95), deltas[deltas.length - 1], deltas.length,
                    photos, photos == 1 ? "" : "s");
        }
    }

    /** The model has no INT8 graph, for the reason in the message; it is fine in fp32. */
    static final class Unavailable extends ColorizationException {
        Unavailable(String message) {
            super(message);
        }
    }

    private Int8Comparison() {
    }

    /**
     * Times {@code rounds} pairs on the first photo; colours from its last pair and one pair on each other photo.
     *
     * @throws Unavailable when the model has no INT8 graph (the message says why)
     */
    static Result run(Chroma402Config config, String model, ColorizationPipeline exact, List<RgbImage> photos, int rounds)
            throws ColorizationException, InterruptedException {
        if (Assembly.int8(config, model) instanceof Int8Models.Refused refused) {
            // Without this, the engine below would quietly run fp32 and the comparison would measure it against itself.
            throw new Unavailable("INT8 is not available for " + model + ", which runs in fp32: " + refused.reason());
        }
        try (ColorizationEngine engine = Assembly.engine(config.withPrecision(Precision.INT8), model)) {
            ColorizationPipeline int8 = Assembly.pipeline(config, engine);
            RgbImage timed = photos.get(0);
            int8.colorize(timed);
            long[] fp32 = new long[rounds];
            long[] fast = new long[rounds];
            RgbImage a = null;
            RgbImage b = null;
            for (int i = 0; i < rounds; i++) {
                ColorizationPipeline.Colorized x = exact.colorize(timed);
                ColorizationPipeline.Colorized y = int8.colorize(timed);
                fp32[i] = x.timings().inferenceNanos();
                fast[i] = y.timings().inferenceNanos();
                a = x.image();
                b = y.image();
            }
            Arrays.sort(fp32);
            Arrays.sort(fast);
            List<double[]> deltas = new ArrayList<>();
            deltas.add(ColourDifference.perPixel(a, b));
            for (RgbImage photo : photos.subList(1, photos.size())) {
                deltas.add(ColourDifference.perPixel(exact.colorize(photo).image(), int8.colorize(photo).image()));
            }
            double[] all = deltas.stream().flatMapToDouble(Arrays::stream).toArray();
            Arrays.sort(all);
            return new Result(fp32[rounds / 2], fast[rounds / 2], all, photos.size());
        }
    }
}
