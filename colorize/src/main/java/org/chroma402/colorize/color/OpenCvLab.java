package org.chroma402.colorize.color;

/**
 * OpenCV 4.6's float CIE Lab conversions ({@code cvtColor} with {@code COLOR_BGR2Lab},
 * {@code COLOR_LAB2BGR} and {@code COLOR_LAB2RGB} on 32-bit floats), reproduced operation by
 * operation, because DDColor's official inference is defined by what OpenCV computes.
 *
 * <p>Two details matter for matching it to the last bit:
 * <ul>
 *   <li>BGR to Lab does not evaluate the formula: OpenCV rounds each channel to 14 bits and
 *       interpolates trilinearly in a 33×33×33 table of fixed-point Lab values. Only L is needed
 *       here, so only the L table is built.</li>
 *   <li>Lab to RGB evaluates the formula, but OpenCV's SIMD loop (blocks of 8 pixels) multiplies
 *       by reciprocals where its scalar tail divides, so the last {@code width % 8} pixels of
 *       each row use slightly different arithmetic. Callers say which path a pixel takes.</li>
 * </ul>
 * Constants are OpenCV's (D65 white 0.950456/1.0/1.088754, sRGB gamma with threshold 0.04045,
 * CIE f(t) with threshold (6/29)^3), taken as the same IEEE doubles.
 */
public final class OpenCvLab {
    private static final double[] SRGB_TO_XYZ = {
        Double.longBitsToDouble(0x3fda65a14488c60dL), Double.longBitsToDouble(0x3fd6e297396d0918L),
        Double.longBitsToDouble(0x3fc71819d2391d58L), Double.longBitsToDouble(0x3fcb38cda6e75ff6L),
        Double.longBitsToDouble(0x3fe6e297396d0918L), Double.longBitsToDouble(0x3fb279aae6c8f755L),
        Double.longBitsToDouble(0x3f93cc4ac6cdaf4bL), Double.longBitsToDouble(0x3fbe836eb4e98138L),
        Double.longBitsToDouble(0x3fee68427418d691L)};
    private static final double[] XYZ_TO_SRGB = {
        Double.longBitsToDouble(0x4009ec804102ff8fL), Double.longBitsToDouble(0xbff8982a9930be0eL),
        Double.longBitsToDouble(0xbfdfe7ff583a53b9L), Double.longBitsToDouble(0xbfef042528ae74f3L),
        Double.longBitsToDouble(0x3ffe040f23897204L), Double.longBitsToDouble(0x3fa546d3f9e7b80bL),
        Double.longBitsToDouble(0x3fac7de5082cf52cL), Double.longBitsToDouble(0xbfca1e14bdfd2631L),
        Double.longBitsToDouble(0x3ff0eabef06b3786L)};
    private static final double[] D65 = {
        Double.longBitsToDouble(0x3fee6a22b3892ee8L), 1.0, Double.longBitsToDouble(0x3ff16b8950763a19L)};

    /** OpenCV's cube-root approximation coefficients, numerator then denominator. */
    private static final double[] CBRT_A = {
        Double.longBitsToDouble(0x4046a09e6653ba70L), Double.longBitsToDouble(0x406808f46c6116e0L),
        Double.longBitsToDouble(0x405dca97439cae14L), Double.longBitsToDouble(0x402add70d2827500L),
        Double.longBitsToDouble(0x3fc4f15f83f55d2dL), Double.longBitsToDouble(0x402d9e20660edb21L),
        Double.longBitsToDouble(0x4062ff15c0285815L), Double.longBitsToDouble(0x406510d06a8112ceL),
        Double.longBitsToDouble(0x4040fecbc9e2c375L)};

    private static final double GAMMA_THRESHOLD = 809.0 / 20000.0;
    private static final double GAMMA_INV_THRESHOLD = 7827.0 / 2500000.0;
    private static final double GAMMA_LOW_SCALE = 323.0 / 25.0;
    private static final double GAMMA_POWER = 12.0 / 5.0;
    private static final double GAMMA_X_SHIFT = 11.0 / 200.0;

    private static final int GAMMA_TAB_SIZE = 1024;
    private static final float GAMMA_TAB_SCALE = GAMMA_TAB_SIZE;
    private static final float[] INV_GAMMA_TAB;

    private static final int LAB_BASE_SHIFT = 14;
    private static final int LAB_BASE = 1 << LAB_BASE_SHIFT;
    /** How many lightness steps there are (see {@link #lightnessStep}). */
    public static final int LIGHTNESS_STEPS = LAB_BASE + 1;
    private static final int LUT_SHIFT = 5;
    private static final int LUT_DIM = (1 << LUT_SHIFT) + 1;
    private static final int TRILINEAR_SHIFT = 8 - LUT_SHIFT + 1;
    private static final int TRILINEAR_BASE = 1 << TRILINEAR_SHIFT;
    /** Fixed-point L (scaled by 16384/100) at each grid point; index blue + 33·green + 33²·red. */
    private static final short[] L_LUT;

    /** For each 8-bit channel value: its grid cell and its position in the cell, as {@link #lightness} computes them. */
    private static final int[] BYTE_CELL = new int[256];
    private static final int[] BYTE_OFFSET = new int[256];

    /** {@code LAB2RGB} coefficients, one row per output channel R, G, B (columns scaled by white). */
    private static final float[] LAB_TO_RGB = new float[9];

    static {
        float[] inverse = new float[GAMMA_TAB_SIZE + 1];
        float scale = 1f / GAMMA_TAB_SCALE;
        for (int i = 0; i <= GAMMA_TAB_SIZE; i++) {
            inverse[i] = applyInvGamma(scale * i);
        }
        INV_GAMMA_TAB = splineBuild(inverse, GAMMA_TAB_SIZE);
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                LAB_TO_RGB[row * 3 + col] = (float) (XYZ_TO_SRGB[row * 3 + col] * D65[col]);
            }
        }
        L_LUT = buildLTable();
        for (int v = 0; v < 256; v++) {
            int c = fixed((float) (v / 255.0));
            BYTE_CELL[v] = cell(c);
            BYTE_OFFSET[v] = offset(c);
        }
    }

    private OpenCvLab() {
    }

    /**
     * L of OpenCV's {@code BGR2Lab} for one pixel whose channels are floats (OpenCV clips them to
     * [0, 1]); 0 to 100.
     */
    public static float lightness(float blue, float green, float red) {
        return lightnessOfStep(lightnessStep(blue, green, red));
    }

    /**
     * {@link #lightness} as the fixed-point step OpenCV computes it before scaling: one of the
     * {@value #LIGHTNESS_STEPS} values 0 (black) to 16384 (white).
     */
    public static int lightnessStep(float blue, float green, float red) {
        int cx = fixed(blue);
        int cy = fixed(green);
        int cz = fixed(red);
        return interpolateStep(cell(cx), cell(cy), cell(cz), offset(cx), offset(cy), offset(cz));
    }

    /** The lightness, 0 to 100, of a step from {@link #lightnessStep}. */
    public static float lightnessOfStep(int step) {
        return ((float) step / LAB_BASE) * 100f;
    }

    /**
     * {@link #labToRgb} of the grey (a = b = 0) of lightness step {@code step}, read from a table
     * made on first use: a grey's colour depends on its lightness alone, and that takes only
     * {@value #LIGHTNESS_STEPS} values, so the model input's grey pixels need no conversion.
     */
    public static void greyToRgb(int step, boolean simd, float[] out, int offset) {
        int at = 3 * ((simd ? 0 : LIGHTNESS_STEPS) + step);
        float[] table = GreyTable.RGB;
        out[offset] = table[at];
        out[offset + 1] = table[at + 1];
        out[offset + 2] = table[at + 2];
    }

    /** {@code labToRgb(l, 0, 0)} for every lightness step, the vector loop's arithmetic first, then the scalar one's. */
    private static final class GreyTable {
        static final float[] RGB = new float[2 * 3 * LIGHTNESS_STEPS];

        static {
            for (int step = 0; step < LIGHTNESS_STEPS; step++) {
                labToRgb(lightnessOfStep(step), 0f, 0f, true, RGB, 3 * step);
                labToRgb(lightnessOfStep(step), 0f, 0f, false, RGB, 3 * (LIGHTNESS_STEPS + step));
            }
        }
    }

    /**
     * {@link #lightness} of an 8-bit pixel (each channel {@code v / 255} as a float, as the
     * pipeline feeds OpenCV), with the per-channel part of the lookup (rounding to 14 bits, grid
     * cell, position in it) read from tables made once: the same arithmetic, to the last bit, for
     * every one of the 2^24 pixels (tested), at a fraction of the cost.
     */
    public static float lightness8(int blue, int green, int red) {
        return lightnessOfStep(interpolateStep(BYTE_CELL[blue], BYTE_CELL[green], BYTE_CELL[red], BYTE_OFFSET[blue],
                BYTE_OFFSET[green], BYTE_OFFSET[red]));
    }

    /** A channel in [0, 1] (clipped) as OpenCV's 14-bit fixed point. */
    private static int fixed(float channel) {
        return (int) Math.rint(clip(channel) * LAB_BASE);
    }

    /** The table cell a fixed-point channel falls in. */
    private static int cell(int fixed) {
        return fixed >> (LAB_BASE_SHIFT - LUT_SHIFT);
    }

    /** Where in its cell a fixed-point channel lies, in steps of the trilinear weights. */
    private static int offset(int fixed) {
        return (fixed >> (LAB_BASE_SHIFT - 8 - 1)) & (TRILINEAR_BASE - 1);
    }

    /** Trilinear interpolation of the L table in fixed point, as OpenCV's float BGR2Lab does it: a lightness step. */
    private static int interpolateStep(int tx, int ty, int tz, int x, int y, int z) {
        int x1 = Math.min(tx + 1, LUT_DIM - 1);
        int y1 = Math.min(ty + 1, LUT_DIM - 1);
        int z1 = Math.min(tz + 1, LUT_DIM - 1);
        int px = TRILINEAR_BASE - x;
        int py = TRILINEAR_BASE - y;
        int pz = TRILINEAR_BASE - z;
        int sum = lut(tx, ty, tz) * (px * py * pz)
                + lut(tx, ty, z1) * (px * py * z)
                + lut(tx, y1, tz) * (px * y * pz)
                + lut(tx, y1, z1) * (px * y * z)
                + lut(x1, ty, tz) * (x * py * pz)
                + lut(x1, ty, z1) * (x * py * z)
                + lut(x1, y1, tz) * (x * y * pz)
                + lut(x1, y1, z1) * (x * y * z);
        int shift = TRILINEAR_SHIFT * 3;
        return (sum + (1 << (shift - 1))) >> shift;
    }

    private static int lut(int blue, int green, int red) {
        return L_LUT[blue + LUT_DIM * (green + LUT_DIM * red)];
    }

    /**
     * One pixel of OpenCV's float {@code LAB2RGB}/{@code LAB2BGR}: writes R, G, B in [0, 1] to
     * {@code out[offset..offset+2]}. {@code simd} selects the arithmetic of OpenCV's vector loop
     * (true for all but the last {@code width % 8} pixels of a row).
     */
    public static void labToRgb(float l, float a, float b, boolean simd, float[] out, int offset) {
        float x;
        float y;
        float z;
        if (simd) {
            float ylo = l * (1f / 903.3f);
            float fylo = 7.787f * ylo + 16.0f / 116.0f;
            float fyhi = (l + 16.0f) * (1f / 116.0f);
            float yhi = fyhi * fyhi * fyhi;
            boolean low = l <= 8f;
            y = low ? ylo : yhi;
            float fy = low ? fylo : fyhi;
            x = finvSimd(a * (1f / 500f) + fy);
            z = finvSimd(b * (-1f / 200f) + fy);
            for (int c = 0; c < 3; c++) {
                float v = LAB_TO_RGB[c * 3] * x + (LAB_TO_RGB[c * 3 + 1] * y + LAB_TO_RGB[c * 3 + 2] * z);
                out[offset + c] = splineInterpolate(clip(v) * GAMMA_TAB_SCALE, INV_GAMMA_TAB);
            }
        } else {
            float fy;
            if (l <= 8f) {
                y = l / 903.3f;
                fy = 7.787f * y + 16.0f / 116.0f;
            } else {
                fy = (l + 16.0f) / 116.0f;
                y = fy * fy * fy;
            }
            x = finvScalar(a / 500.0f + fy);
            z = finvScalar(fy - b / 200.0f);
            for (int c = 0; c < 3; c++) {
                float v = LAB_TO_RGB[c * 3] * x + LAB_TO_RGB[c * 3 + 1] * y + LAB_TO_RGB[c * 3 + 2] * z;
                out[offset + c] = splineInterpolate(clip(v) * GAMMA_TAB_SCALE, INV_GAMMA_TAB);
            }
        }
    }

    /** Whether pixel {@code x} of a row of {@code width} pixels goes through OpenCV's SIMD loop. */
    public static boolean simdPixel(int x, int width) {
        return x < width - width % 8;
    }

    private static float finvSimd(float f) {
        return f <= 6f / 29f ? (f - 16.0f / 116.0f) * (1f / 7.787f) : f * f * f;
    }

    private static float finvScalar(float f) {
        return f <= 6f / 29f ? (f - 16.0f / 116.0f) / 7.787f : f * f * f;
    }

    private static float clip(float v) {
        return v < 0f ? 0f : v <= 1f ? v : 1f;
    }

    private static float applyGamma(float x) {
        double xd = x;
        return (float) (xd <= GAMMA_THRESHOLD ? xd / GAMMA_LOW_SCALE
                : Math.pow((xd + GAMMA_X_SHIFT) / (1.0 + GAMMA_X_SHIFT), GAMMA_POWER));
    }

    private static float applyInvGamma(float x) {
        double xd = x;
        return (float) (xd <= GAMMA_INV_THRESHOLD ? xd * GAMMA_LOW_SCALE
                : Math.pow(xd, 1.0 / GAMMA_POWER) * (1.0 + GAMMA_X_SHIFT) - GAMMA_X_SHIFT);
    }

    /** OpenCV's natural cubic spline through {@code f[0..n]}, four coefficients per interval. */
    static float[] splineBuild(float[] f, int n) {
        float[] tab = new float[n * 4];
        for (int i = 1; i < n; i++) {
            float t = (f[i + 1] - f[i] * 2f + f[i - 1]) * 3f;
            float l = 1f / (4f - tab[(i - 1) * 4]);
            tab[i * 4] = l;
            tab[i * 4 + 1] = (t - tab[(i - 1) * 4 + 1]) * l;
        }
        float cn = 0f;
        for (int j = 0; j < n; j++) {
            int i = n - j - 1;
            float c = tab[i * 4 + 1] - tab[i * 4] * cn;
            float b = f[i + 1] - f[i] - (cn + c * 2f) / 3f;
            float d = (cn - c) / 3f;
            tab[i * 4] = f[i];
            tab[i * 4 + 1] = b;
            tab[i * 4 + 2] = c;
            tab[i * 4 + 3] = d;
            cn = c;
        }
        return tab;
    }

    static float splineInterpolate(float x, float[] tab) {
        int n = tab.length / 4;
        int ix = Math.min(Math.max((int) x, 0), n - 1);
        x -= ix;
        int o = ix * 4;
        return ((tab[o + 3] * x + tab[o + 2]) * x + tab[o + 1]) * x + tab[o];
    }

    private static short[] buildLTable() {
        // The Y row of OpenCV's white-scaled RGB->XYZ matrix, in the order its table uses:
        // the first axis is blue, the second green, the third red.
        float sBlue = (float) SRGB_TO_XYZ[5];
        float sGreen = (float) SRGB_TO_XYZ[4];
        float sRed = (float) SRGB_TO_XYZ[3];
        float lthresh = 216f / 24389f;
        float lscale = 841f / 108f;
        float lbias = 16f / 116f;
        float f9033 = 24389f / 27f;
        float lld = LUT_DIM - 1;
        float[] gamma = new float[LUT_DIM];
        for (int i = 0; i < LUT_DIM; i++) {
            gamma[i] = applyGamma(i / lld);
        }
        short[] table = new short[LUT_DIM * LUT_DIM * LUT_DIM];
        for (int r = 0; r < LUT_DIM; r++) {
            for (int q = 0; q < LUT_DIM; q++) {
                for (int p = 0; p < LUT_DIM; p++) {
                    float yv = gamma[p] * sBlue + gamma[q] * sGreen + gamma[r] * sRed;
                    float fy = yv > lthresh ? cbrt(yv) : Math.fma(yv, lscale, lbias);
                    float l = yv > lthresh ? (116f * fy - 16f) : (f9033 * yv);
                    table[p + LUT_DIM * (q + LUT_DIM * r)] = (short) Math.rint((LAB_BASE * l) / 100f);
                }
            }
        }
        return table;
    }

    /**
     * OpenCV's software cube root (Turkowski's rational approximation in double precision, with
     * the result's mantissa truncated to float, not rounded). It differs from a correctly rounded
     * cube root in the last bit often enough to change a few entries of the L table.
     */
    static float cbrt(float x) {
        int bits = Float.floatToRawIntBits(x);
        if ((bits & 0x7fffffff) == 0) {
            return 0f;
        }
        int sign = bits >>> 31;
        int ex = ((bits >>> 23) & 0xff) - 127;
        int shx = ex % 3;
        shx -= shx >= 0 ? 3 : 0;
        ex = (ex - shx) / 3 - 1;
        double fr = Double.longBitsToDouble(((long) (shx + 1023) << 52) | ((long) (bits & 0x7fffff) << 29));
        fr = ((((CBRT_A[0] * fr + CBRT_A[1]) * fr + CBRT_A[2]) * fr + CBRT_A[3]) * fr + CBRT_A[4])
                / ((((CBRT_A[5] * fr + CBRT_A[6]) * fr + CBRT_A[7]) * fr + CBRT_A[8]) * fr + 1.0);
        long mantissa = Double.doubleToRawLongBits(fr) & 0xfffffffffffffL;
        return Float.intBitsToFloat((sign << 31) + ((ex + 127) << 23) + (int) (mantissa >>> 29));
    }

    /** The fixed-point L table, for tests that compare it with OpenCV's. */
    static short lTableEntry(int blue, int green, int red) {
        return L_LUT[blue + LUT_DIM * (green + LUT_DIM * red)];
    }
}
