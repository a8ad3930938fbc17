package org.chroma402.colorize.color;

import static org.assertj.core.api.Assertions.assertThat;

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
}
