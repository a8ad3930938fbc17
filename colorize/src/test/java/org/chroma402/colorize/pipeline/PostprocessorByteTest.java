package org.chroma402.colorize.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The postprocessor's float-to-byte step is the official pipeline's {@code (img * 255.0).round()}
 * clamped to a byte: checked against {@code Math.rint} for every float within 2^16 steps of each
 * value it can round either way, the special values, and ten million random bit patterns.
 */
class PostprocessorByteTest {
    private static byte expected(float v) {
        float scaled = (float) Math.rint(v * 255f);
        return (byte) (scaled <= 0f ? 0 : scaled >= 255f ? 255 : (int) scaled);
    }

    private static void check(float v) {
        if (Postprocessor.toByte(v) != expected(v)) {
            throw new AssertionError("toByte(" + v + ") = " + (Postprocessor.toByte(v) & 0xff) + ", expected "
                    + (expected(v) & 0xff));
        }
    }

    @Test
    void roundsHalfToEvenAroundEveryTieAndEveryWholeValue() {
        long checked = 0;
        for (int k = -1; k <= 256; k++) {
            for (float centre : new float[] {(k + 0.5f) / 255f, k / 255f}) {
                int bits = Float.floatToRawIntBits(centre);
                for (int step = -(1 << 16); step <= 1 << 16; step++) {
                    check(Float.intBitsToFloat(bits + step));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(60_000_000L);
        assertThat(Postprocessor.toByte(0.5f / 255f)).as("a tie rounds to even").isEqualTo((byte) 0);
        assertThat(Postprocessor.toByte(1.5f / 255f)).as("a tie rounds to even").isEqualTo((byte) 2);
    }

    @Test
    void clampsAndMapsNanToZero() {
        for (float v : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
                -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, 1.0001f, 2f, -1f, 0x1p23f, 0x1p24f}) {
            check(v);
        }
        assertThat(Postprocessor.toByte(Float.NaN)).isZero();
        SplittableRandom random = new SplittableRandom(402);
        for (int i = 0; i < 10_000_000; i++) {
            check(Float.intBitsToFloat(random.nextInt()));
        }
    }
}
