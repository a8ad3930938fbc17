package org.chroma402.colorize.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExifOrientationTest {
    /** A 3x2 image whose pixels are numbered 0..5 (in the red channel), row by row. */
    private static final RgbImage NUMBERED = numbered();

    private static RgbImage numbered() {
        byte[] rgb = new byte[18];
        for (int i = 0; i < 6; i++) {
            rgb[3 * i] = (byte) i;
        }
        return new RgbImage(3, 2, rgb, new byte[] {0, 1, 2, 3, 4, 5});
    }

    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({
        "1, 3, '0 1 2 3 4 5'",
        "2, 3, '2 1 0 5 4 3'",
        "3, 3, '5 4 3 2 1 0'",
        "4, 3, '3 4 5 0 1 2'",
        "5, 2, '0 3 1 4 2 5'",
        "6, 2, '3 0 4 1 5 2'",
        "7, 2, '5 2 4 1 3 0'",
        "8, 2, '2 5 1 4 0 3'"})
    void appliesEachOfTheEightOrientations(int orientation, int width, String expected) {
        RgbImage out = ExifOrientation.apply(NUMBERED, orientation);
        assertThat(out.width()).isEqualTo(width);
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            order.append(i == 0 ? "" : " ").append(out.rgb()[3 * i]);
            assertThat(out.alpha()[i]).isEqualTo(out.rgb()[3 * i]);
        }
        assertThat(order.toString()).isEqualTo(expected);
    }

    @Test
    void garbageNeverThrows() {
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 2000; i++) {
            byte[] data = new byte[random.nextInt(200)];
            random.nextBytes(data);
            if (data.length > 3) {
                data[0] = (byte) 0xff;
                data[1] = (byte) 0xd8;
            }
            for (ImageFormat format : ImageFormat.values()) {
                assertThat(ExifOrientation.read(data, format)).isBetween(1, 8);
            }
        }
    }
}
