package org.chroma402.colorize.color;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.chroma402.colorize.image.RgbImage;

/** How far apart two renderings of one photo look: CIEDE2000 per pixel, in CIELAB (D65) from 8-bit sRGB. */
public final class ColourDifference {
    private static final double[] LINEAR = new double[256];

    static {
        for (int i = 0; i < 256; i++) {
            double v = i / 255.0;
            LINEAR[i] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
    }

    private ColourDifference() {
    }

    /** ΔE00 of every pixel, sorted ascending. The images must have the same size. */
    public static double[] perPixel(RgbImage a, RgbImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("the images differ in size");
        }
        byte[] x = a.rgb();
        byte[] y = b.rgb();
        double[] out = IntStream.range(0, a.width() * a.height()).parallel().mapToDouble(p -> {
            double[] l1 = lab(x[3 * p] & 0xff, x[3 * p + 1] & 0xff, x[3 * p + 2] & 0xff);
            double[] l2 = lab(y[3 * p] & 0xff, y[3 * p + 1] & 0xff, y[3 * p + 2] & 0xff);
            return Ciede2000.deltaE(l1[0], l1[1], l1[2], l2[0], l2[1], l2[2]);
        }).toArray();
        Arrays.sort(out);
        return out;
    }

    public static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    /** The {@code p}-th percentile of sorted values. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
    }

    /** CIELAB (D65 white) of an 8-bit sRGB colour. */
    public static double[] lab(int r, int g, int b) {
        double rl = LINEAR[r];
        double gl = LINEAR[g];
        double bl = LINEAR[b];
        double x = (0.4124564 * rl + 0.3575761 * gl + 0.1804375 * bl) / 0.95047;
        double y = 0.2126729 * rl + 0.7151522 * gl + 0.0721750 * bl;
        double z = (0.0193339 * rl + 0.1191920 * gl + 0.9503041 * bl) / 1.08883;
        double fx = f(x);
        double fy = f(y);
        double fz = f(z);
        return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    private static double f(double t) {
        return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }
}
