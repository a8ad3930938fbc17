package org.chroma402.colorize.pipeline;

import java.util.stream.IntStream;
import org.chroma402.colorize.color.OpenCvLab;
import org.chroma402.colorize.image.RgbImage;

/**
 * Turns the model's ab prediction into the colorized photo, as DDColor's official inference
 * does: ab upsampled to full size (nearest, PyTorch's index rule), merged with the original's
 * full-resolution lightness, converted to sRGB, scaled by 255 and rounded half to even. The
 * input's alpha channel is kept. A colour strength other than 1 scales the predicted ab before
 * the merge (0: grey at the photo's own lightness, 2: twice as vivid), as colorization services'
 * saturation controls do; the lightness is never touched.
 */
public final class Postprocessor {
    /** Below this many pixels a single thread is faster than splitting the rows. */
    private static final long PARALLEL_THRESHOLD = 1 << 19;
    /** The strongest colour a request may ask for: beyond twice the prediction, most colours clip. */
    public static final float MAX_SATURATION = 2f;

    private Postprocessor() {
    }

    /**
     * @param ab the model output for one image, a plane then b plane, each {@code size × size}
     */
    public static RgbImage finish(RgbImage original, float[] ab, int size, AbUpsampling upsampling) {
        return finish(original, ab, size, upsampling, 1f);
    }

    /**
     * {@link #finish(RgbImage, float[], int, AbUpsampling)} with the ab scaled by {@code saturation}
     * (0 to 2). At 1 the result is the official one to the bit: {@code x * 1f} is exact.
     */
    public static RgbImage finish(RgbImage original, float[] ab, int size, AbUpsampling upsampling, float saturation) {
        if (!(saturation >= 0f && saturation <= MAX_SATURATION)) {
            throw new IllegalArgumentException("saturation " + saturation + " is not within 0 to " + MAX_SATURATION);
        }
        int w = original.width();
        int h = original.height();
        if (ab.length != 2 * size * size) {
            throw new IllegalArgumentException("ab has " + ab.length + " values for size " + size);
        }
        byte[] src = original.rgb();
        byte[] out = new byte[src.length];
        int[] cols = nearestIndices(size, w);
        int[] rows = nearestIndices(size, h);
        IntStream lines = IntStream.range(0, h);
        if (original.pixels() >= PARALLEL_THRESHOLD) {
            lines = lines.parallel();
        }
        lines.forEach(y -> {
            float[] rgb = new float[3];
            int plane = size * size;
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                float l = Preprocessor.lightness(src[3 * p], src[3 * p + 1], src[3 * p + 2]);
                float a;
                float b;
                if (upsampling == AbUpsampling.NEAREST) {
                    int q = rows[y] * size + cols[x];
                    a = ab[q];
                    b = ab[plane + q];
                } else {
                    a = bilinear(ab, 0, size, x, y, w, h);
                    b = bilinear(ab, plane, size, x, y, w, h);
                }
                a *= saturation;
                b *= saturation;
                OpenCvLab.labToRgb(l, a, b, OpenCvLab.simdPixel(x, w), rgb, 0);
                out[3 * p] = toByte(rgb[0]);
                out[3 * p + 1] = toByte(rgb[1]);
                out[3 * p + 2] = toByte(rgb[2]);
            }
        });
        return new RgbImage(w, h, out, original.alpha());
    }

    /**
     * {@code v × 255} rounded half to even and clamped to a byte, NaN to 0. Adding and taking away
     * 2^23 rounds a float in [0, 2^23) to an integer exactly as {@code Math.rint} does (the FPU's
     * round-to-nearest-even), without the round trip through double.
     */
    static byte toByte(float v) {
        float scaled = v * 255f;
        scaled = scaled > 0f ? scaled : 0f;
        scaled = scaled < 255f ? scaled : 255f;
        return (byte) (int) ((scaled + 0x1p23f) - 0x1p23f);
    }

    /**
     * PyTorch's {@code F.interpolate(mode='nearest')} source indices, computed in float as it
     * does, with its exact special cases for equal and doubled sizes.
     */
    static int[] nearestIndices(int inSize, int outSize) {
        int[] idx = new int[outSize];
        if (outSize == inSize) {
            for (int i = 0; i < outSize; i++) {
                idx[i] = i;
            }
        } else if (outSize == 2 * inSize) {
            for (int i = 0; i < outSize; i++) {
                idx[i] = i >> 1;
            }
        } else {
            float scale = (float) inSize / (float) outSize;
            for (int i = 0; i < outSize; i++) {
                idx[i] = Math.min((int) Math.floor((float) i * scale), inSize - 1);
            }
        }
        return idx;
    }

    /** Bilinear sampling with half-pixel centres ({@code align_corners=False}). */
    private static float bilinear(float[] ab, int offset, int size, int x, int y, int w, int h) {
        float sx = Math.max(0f, (x + 0.5f) * size / w - 0.5f);
        float sy = Math.max(0f, (y + 0.5f) * size / h - 0.5f);
        int x0 = Math.min((int) sx, size - 1);
        int y0 = Math.min((int) sy, size - 1);
        int x1 = Math.min(x0 + 1, size - 1);
        int y1 = Math.min(y0 + 1, size - 1);
        float fx = sx - x0;
        float fy = sy - y0;
        float top = ab[offset + y0 * size + x0] * (1 - fx) + ab[offset + y0 * size + x1] * fx;
        float bottom = ab[offset + y1 * size + x0] * (1 - fx) + ab[offset + y1 * size + x1] * fx;
        return top * (1 - fy) + bottom * fy;
    }
}
