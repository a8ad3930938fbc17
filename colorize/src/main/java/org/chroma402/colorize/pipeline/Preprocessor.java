package org.chroma402.colorize.pipeline;

import java.util.stream.IntStream;
import org.chroma402.colorize.color.OpenCvLab;
import org.chroma402.colorize.color.OpenCvResize;
import org.chroma402.colorize.image.RgbImage;

/**
 * Builds the model input exactly as DDColor's official inference does: the 8-bit image divided
 * by 255, resized to the model's input size with bilinear interpolation, reduced to its Lab
 * lightness, and turned back into grey RGB with a = b = 0. No normalisation.
 */
public final class Preprocessor {
    /** {@code v / 255.0} rounded to float, as numpy computes {@code (img / 255.0).astype(float32)}. */
    static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            UNIT[i] = (float) (i / 255.0);
        }
    }

    /** Below this many model-input pixels a single thread is faster than splitting the rows. */
    private static final int PARALLEL_THRESHOLD = 1 << 16;

    private Preprocessor() {
    }

    public static PreparedImage prepare(RgbImage image, int inputSize) {
        int w = image.width();
        int h = image.height();
        byte[] rgb = image.rgb();
        // OpenCV sees the image as BGR; the resize is per channel, so RGB order is kept here and
        // swapped only where the channel order matters (the lightness).
        float[] resized = OpenCvResize.linear((y, out) -> {
            int base = y * w * 3;
            for (int i = 0; i < w * 3; i++) {
                out[i] = UNIT[rgb[base + i] & 0xff];
            }
        }, w, h, 3, inputSize, inputSize);
        int plane = inputSize * inputSize;
        float[] tensor = new float[3 * plane];
        // Rows are independent; on a large input they are split over the cores.
        IntStream rows = IntStream.range(0, inputSize);
        if (plane >= PARALLEL_THRESHOLD) {
            rows = rows.parallel();
        }
        rows.forEach(y -> {
            float[] grey = new float[3];
            for (int i = y * inputSize, end = i + inputSize; i < end; i++) {
                int step = OpenCvLab.lightnessStep(resized[3 * i + 2], resized[3 * i + 1], resized[3 * i]);
                OpenCvLab.greyToRgb(step, OpenCvLab.simdPixel(i % inputSize, inputSize), grey, 0);
                tensor[i] = grey[0];
                tensor[plane + i] = grey[1];
                tensor[2 * plane + i] = grey[2];
            }
        });
        return new PreparedImage(image, tensor, inputSize);
    }

    /** The Lab lightness OpenCV gives an 8-bit pixel, 0 to 100. */
    static float lightness(byte red, byte green, byte blue) {
        return OpenCvLab.lightness8(blue & 0xff, green & 0xff, red & 0xff);
    }
}
