package org.chroma402.colorize.color;

import static org.assertj.core.api.Assertions.assertThat;

import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.Test;

/** The re-implemented conversions against what OpenCV 4.6 (Debian's python3-opencv) computed. */
class OpenCvLabTest {

    @Test
    void theEightBitLightnessIsTheFloatOneForEveryPixel() {
        for (int b = 0; b < 256; b++) {
            for (int g = 0; g < 256; g++) {
                for (int r = 0; r < 256; r++) {
                    float expected = OpenCvLab.lightness((float) (b / 255.0), (float) (g / 255.0), (float) (r / 255.0));
                    float actual = OpenCvLab.lightness8(b, g, r);
                    if (Float.floatToRawIntBits(actual) != Float.floatToRawIntBits(expected)) {
                        throw new AssertionError("pixel (" + r + ", " + g + ", " + b + "): " + actual + ", expected " + expected);
                    }
                }
            }
        }
    }

    @Test
    void theGreyOfEveryLightnessStepIsItsConversion() {
        float[] expected = new float[3];
        float[] actual = new float[3];
        for (boolean simd : new boolean[] {true, false}) {
            for (int step = 0; step < OpenCvLab.LIGHTNESS_STEPS; step++) {
                OpenCvLab.labToRgb(OpenCvLab.lightnessOfStep(step), 0f, 0f, simd, expected, 0);
                OpenCvLab.greyToRgb(step, simd, actual, 0);
                for (int c = 0; c < 3; c++) {
                    if (Float.floatToRawIntBits(actual[c]) != Float.floatToRawIntBits(expected[c])) {
                        throw new AssertionError("step " + step + (simd ? " (vector loop)" : " (scalar loop)") + ", channel " + c
                                + ": " + actual[c] + ", expected " + expected[c]);
                    }
                }
            }
        }
        assertThat(OpenCvLab.lightnessOfStep(OpenCvLab.LIGHTNESS_STEPS - 1)).isEqualTo(100f);
    }

    @Test
    void theLightnessTableIsOpenCvsEntryForEntry() {
        short[] expected = TestResources.shorts("fixtures/opencv/bgr2lab-l-grid.bin");
        int mismatches = 0;
        for (int red = 0; red < 33; red++) {
            for (int green = 0; green < 33; green++) {
                for (int blue = 0; blue < 33; blue++) {
                    if (OpenCvLab.lTableEntry(blue, green, red) != expected[blue + 33 * (green + 33 * red)]) {
                        mismatches++;
                    }
                }
            }
        }
        assertThat(mismatches).isZero();
    }

    @Test
    void lightnessMatchesBgr2LabBitForBit() {
        float[] in = TestResources.floats("fixtures/opencv/bgr2lab-in.bin");
        float[] expected = TestResources.floats("fixtures/opencv/bgr2lab-l-out.bin");
        for (int i = 0; i < expected.length; i++) {
            float l = OpenCvLab.lightness(in[3 * i], in[3 * i + 1], in[3 * i + 2]);
            assertThat(l).as("pixel %d", i).isEqualTo(expected[i]);
        }
    }

    @Test
    void labToRgbMatchesLab2RgbAndLab2BgrBitForBit() {
        float[] in = TestResources.floats("fixtures/opencv/lab2rgb-in.bin");
        float[] rgb = TestResources.floats("fixtures/opencv/lab2rgb-out.bin");
        float[] bgr = TestResources.floats("fixtures/opencv/lab2bgr-out.bin");
        int width = 13;
        float[] out = new float[3];
        for (int i = 0; i < in.length / 3; i++) {
            OpenCvLab.labToRgb(in[3 * i], in[3 * i + 1], in[3 * i + 2], OpenCvLab.simdPixel(i % width, width), out, 0);
            assertThat(out[0]).as("R of pixel %d", i).isEqualTo(rgb[3 * i]).isEqualTo(bgr[3 * i + 2]);
            assertThat(out[1]).as("G of pixel %d", i).isEqualTo(rgb[3 * i + 1]).isEqualTo(bgr[3 * i + 1]);
            assertThat(out[2]).as("B of pixel %d", i).isEqualTo(rgb[3 * i + 2]).isEqualTo(bgr[3 * i]);
        }
    }
}
