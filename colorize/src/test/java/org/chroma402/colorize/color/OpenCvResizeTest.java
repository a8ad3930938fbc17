package org.chroma402.colorize.color;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code cv::resize(INTER_LINEAR)} on float images, down, up, identity and the exact-halving case. */
class OpenCvResizeTest {

    @ParameterizedTest(name = "37x23 -> {0}x{1}")
    @CsvSource({"16,16", "64,64", "37,23", "50,9"})
    void matchesOpenCvBitForBit(int width, int height) {
        float[] src = TestResources.floats("fixtures/opencv/resize-in-37x23.bin");
        float[] expected = TestResources.floats("fixtures/opencv/resize-out-" + width + "x" + height + ".bin");
        assertThat(OpenCvResize.linear(src, 37, 23, 3, width, height)).containsExactly(expected);
    }

    @ParameterizedTest(name = "32x32 -> 16x16 (box filter)")
    @CsvSource({"16,16"})
    void exactHalvingUsesTheBoxFilterLikeOpenCv(int width, int height) {
        float[] src = TestResources.floats("fixtures/opencv/resize-in-32x32.bin");
        float[] expected = TestResources.floats("fixtures/opencv/resize-out-halved-16x16.bin");
        assertThat(OpenCvResize.linear(src, 32, 32, 3, width, height)).containsExactly(expected);
    }

    /** The output rows split over threads give the rows computed in one pass, bit for bit (a photo to the model's size, up and down). */
    @ParameterizedTest(name = "1000x1247 -> {0}x{1}")
    @CsvSource({"512,512", "1024,1024", "37,1300", "1,1"})
    void rowBandsGiveTheSameResultAsOnePass(int width, int height) {
        float[] src = new float[1000 * 1247 * 3];
        Random random = new Random(width * 31L + height);
        for (int i = 0; i < src.length; i++) {
            src[i] = random.nextFloat();
        }
        OpenCvResize.RowSource rows = (y, out) -> System.arraycopy(src, y * 3000, out, 0, 3000);
        float[] onePass = OpenCvResize.linear(rows, 1000, 1247, 3, width, height, 1);
        for (int bands : new int[] {2, 3, 7, 5000}) {
            // Arrays.equals compares float bits; AssertJ's containsExactly is quadratic on millions of values.
            assertThat(Arrays.equals(OpenCvResize.linear(rows, 1000, 1247, 3, width, height, bands), onePass)).as("%d bands", bands).isTrue();
        }
    }
}
