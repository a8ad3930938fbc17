package org.chroma402.colorize.color;

import java.util.stream.IntStream;

/**
 * OpenCV 4.6's {@code cv::resize} with {@code INTER_LINEAR} on float images, reproduced operation
 * by operation: pixel-centre mapping computed in double and rounded to float weights, clamped
 * borders, a horizontal then a vertical pass, and the 2×2 box filter OpenCV switches to for an
 * exact halving in both directions.
 */
public final class OpenCvResize {
    /** Output values a band should have at least before splitting the rows pays for the threads. */
    private static final long PARALLEL_BAND_VALUES = 1 << 16;

    private OpenCvResize() {
    }

    /**
     * Supplies one source row as floats; lets 8-bit images be resized without a float copy.
     * Called from several threads at once, each with its own {@code out}.
     */
    @FunctionalInterface
    public interface RowSource {
        /** Fills {@code out[0 .. width*channels)} with row {@code y}. */
        void row(int y, float[] out);
    }

    /**
     * Resizes an interleaved float image of {@code channels} channels.
     *
     * @return a new array of {@code dstWidth * dstHeight * channels} floats
     */
    public static float[] linear(float[] src, int srcWidth, int srcHeight, int channels, int dstWidth, int dstHeight) {
        int rowLength = srcWidth * channels;
        return linear((y, out) -> System.arraycopy(src, y * rowLength, out, 0, rowLength), srcWidth, srcHeight,
                channels, dstWidth, dstHeight);
    }

    /** Resizes an image given row by row. */
    public static float[] linear(RowSource src, int srcWidth, int srcHeight, int channels, int dstWidth, int dstHeight) {
        // Output rows are independent: bands of them run on the cores, each reusing its own rows.
        long values = (long) dstWidth * dstHeight * channels;
        int bands = (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), values / PARALLEL_BAND_VALUES));
        return linear(src, srcWidth, srcHeight, channels, dstWidth, dstHeight, bands);
    }

    /** {@link #linear(RowSource, int, int, int, int, int)} with its output rows split into {@code bands} computed at once. */
    static float[] linear(RowSource src, int srcWidth, int srcHeight, int channels, int dstWidth, int dstHeight, int bands) {
        double invX = (double) dstWidth / srcWidth;
        double invY = (double) dstHeight / srcHeight;
        double scaleX = 1.0 / invX;
        double scaleY = 1.0 / invY;
        long iscaleX = Math.round(Math.rint(scaleX));
        long iscaleY = Math.round(Math.rint(scaleY));
        boolean areaFast = Math.abs(scaleX - iscaleX) < Math.ulp(1.0) && Math.abs(scaleY - iscaleY) < Math.ulp(1.0);
        if (areaFast && iscaleX == 2 && iscaleY == 2) {
            return halve(src, srcWidth, channels, dstWidth, dstHeight);
        }

        int[] xofs = new int[dstWidth];
        float[] alpha = new float[dstWidth * 2];
        int xmax = dstWidth;
        for (int dx = 0; dx < dstWidth; dx++) {
            float fx = (float) ((dx + 0.5) * scaleX - 0.5);
            int sx = (int) Math.floor(fx);
            fx -= sx;
            if (sx < 0) {
                fx = 0;
                sx = 0;
            }
            if (sx + 1 >= srcWidth) {
                xmax = Math.min(xmax, dx);
                if (sx >= srcWidth - 1) {
                    fx = 0;
                    sx = srcWidth - 1;
                }
            }
            xofs[dx] = sx;
            alpha[dx * 2] = 1f - fx;
            alpha[dx * 2 + 1] = fx;
        }

        int rowLength = dstWidth * channels;
        float[] dst = new float[dstHeight * rowLength];
        // Columns below this blend two source pixels; the rest copy the last one (a lambda needs it final).
        int blendedColumns = xmax;
        int count = Math.max(1, Math.min(bands, dstHeight));
        IntStream range = IntStream.range(0, count);
        if (count > 1) {
            range = range.parallel();
        }
        range.forEach(band -> verticalBand(src, srcWidth, srcHeight, channels, scaleY, xofs, alpha, blendedColumns, dst,
                rowLength, band * dstHeight / count, (band + 1) * dstHeight / count));
        return dst;
    }

    /** Output rows {@code from} to {@code to}: each a blend of two horizontally resized source rows. */
    private static void verticalBand(RowSource src, int srcWidth, int srcHeight, int channels, double scaleY, int[] xofs,
            float[] alpha, int xmax, float[] dst, int rowLength, int from, int to) {
        float[] srcRow = new float[srcWidth * channels];
        float[] row0 = new float[rowLength];
        float[] row1 = new float[rowLength];
        int row0Source = -1;
        int row1Source = -1;
        for (int dy = from; dy < to; dy++) {
            float fy = (float) ((dy + 0.5) * scaleY - 0.5);
            int sy = (int) Math.floor(fy);
            fy -= sy;
            float b0 = 1f - fy;
            float b1 = fy;
            int s0 = clamp(sy, srcHeight);
            int s1 = clamp(sy + 1, srcHeight);
            // Like OpenCV, reuse horizontally resized rows that the previous output row needed.
            if (s0 == row1Source) {
                float[] t = row0;
                row0 = row1;
                row1 = t;
                row0Source = s0;
                row1Source = -1;
            }
            if (s0 != row0Source) {
                src.row(s0, srcRow);
                horizontal(srcRow, channels, xofs, alpha, xmax, row0);
                row0Source = s0;
            }
            if (s1 != row1Source) {
                if (s1 == s0) {
                    System.arraycopy(row0, 0, row1, 0, rowLength);
                } else {
                    src.row(s1, srcRow);
                    horizontal(srcRow, channels, xofs, alpha, xmax, row1);
                }
                row1Source = s1;
            }
            int base = dy * rowLength;
            for (int i = 0; i < rowLength; i++) {
                dst[base + i] = row0[i] * b0 + row1[i] * b1;
            }
        }
    }

    private static void horizontal(float[] src, int channels, int[] xofs, float[] alpha, int xmax, float[] out) {
        for (int dx = 0; dx < xofs.length; dx++) {
            int s = xofs[dx] * channels;
            int d = dx * channels;
            if (dx < xmax) {
                float a0 = alpha[dx * 2];
                float a1 = alpha[dx * 2 + 1];
                for (int c = 0; c < channels; c++) {
                    out[d + c] = src[s + c] * a0 + src[s + channels + c] * a1;
                }
            } else {
                for (int c = 0; c < channels; c++) {
                    out[d + c] = src[s + c];
                }
            }
        }
    }

    private static float[] halve(RowSource src, int srcWidth, int channels, int dstWidth, int dstHeight) {
        float[] dst = new float[dstWidth * dstHeight * channels];
        float[] top = new float[srcWidth * channels];
        float[] bottom = new float[srcWidth * channels];
        for (int dy = 0; dy < dstHeight; dy++) {
            src.row(2 * dy, top);
            src.row(2 * dy + 1, bottom);
            for (int dx = 0; dx < dstWidth; dx++) {
                int s = (2 * dx) * channels;
                for (int c = 0; c < channels; c++) {
                    float sum = top[s + c] + top[s + channels + c] + bottom[s + c] + bottom[s + channels + c];
                    dst[(dy * dstWidth + dx) * channels + c] = sum * 0.25f;
                }
            }
        }
        return dst;
    }

    private static int clamp(int row, int height) {
        return row < 0 ? 0 : Math.min(row, height - 1);
    }
}
