package org.chroma402.colorize.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.chroma402.colorize.testing.HostileImages;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ImageDecoder#verify}, the check an unpaid request gets: it must agree with
 * {@link ImageDecoder#decode} (never pass what decode refuses: that would be an invoice for a
 * photo we cannot colorize), and refuse built-to-be-expensive files cheaply.
 */
class BoundedVerifyTest {
    private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULTS);
    private static final Duration BUDGET = Duration.ofSeconds(10);

    static Stream<Arguments> everything() throws Exception {
        List<Arguments> out = new ArrayList<>();
        JsonNode index = new ObjectMapper().readTree(TestResources.bytes("hostile/index.json")).get("expected");
        index.fieldNames().forEachRemaining(name -> out.add(Arguments.of(name, TestResources.bytes("hostile/" + name))));
        for (String name : List.of("buffalo.png", "detroit.png", "keller-grey8.png", "tiny.png")) {
            out.add(Arguments.of(name, TestResources.bytes("fixtures/inputs/" + name)));
        }
        for (String name : List.of("animated.gif", "cmyk.jpg", "grey16.png", "rgb16.png", "grey16.tiff", "progressive.jpg",
                "lossy.webp", "palette.png", "exif-orientation-6.jpg")) {
            out.add(Arguments.of(name, TestResources.bytes("formats/" + name)));
        }
        out.add(Arguments.of("deep ICC", HostileImages.jpegWithDeepIcc(TestResources.bytes("formats/baseline.jpg"), 250)));
        out.add(Arguments.of("scan bomb", HostileImages.progressiveScanBomb(256, 256, 500)));
        out.add(Arguments.of("progressive", HostileImages.progressiveJpeg(300, 200)));
        out.add(Arguments.of("16-bit RGBA", HostileImages.sixteenBitRgbaPng(300, 200)));
        out.add(Arguments.of("many zTXt chunks", HostileImages.pngWithTextChunks(200, 100_000)));
        out.add(Arguments.of("PNG+ZIP polyglot", HostileImages.pngZipPolyglot()));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everything")
    void verifyPassesExactlyWhatDecodeDecodes(String name, byte[] data) {
        ImageException verifyError = null;
        try {
            DECODER.verify(data, BUDGET);
        } catch (ImageException e) {
            verifyError = e;
        }
        try {
            DECODER.decode(data);
            if (verifyError != null) {
                fail(name + " decodes but verify refused it: " + verifyError.getMessage());
            }
        } catch (ImageException e) {
            if (verifyError == null) {
                fail(name + " passed verify but decode refuses it: " + e.getMessage());
            }
        }
    }

    @Test
    void aScanBombIsRefusedFromItsStructureAlone() {
        byte[] bomb = HostileImages.progressiveScanBomb(512, 512, 1000);
        assertThat(JpegStructure.countScans(bomb, Integer.MAX_VALUE)).isGreaterThan(1000);
        assertThat(JpegStructure.countScans(HostileImages.progressiveJpeg(512, 512), Integer.MAX_VALUE)).isBetween(2, 12);
        assertThatThrownBy(() -> DECODER.verify(bomb, BUDGET)).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.reason()).isEqualTo(ImageException.Reason.TOO_COMPLEX));
        assertThatThrownBy(() -> DECODER.decode(bomb)).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.reason()).isEqualTo(ImageException.Reason.TOO_COMPLEX));
    }

    @Test
    void largePicturesMayHaveFewerScans() {
        assertThat(JpegStructure.scanLimit(0)).isEqualTo(100);
        assertThat(JpegStructure.scanLimit(1_000_000)).isEqualTo(100);
        assertThat(JpegStructure.scanLimit(5_000_000)).isEqualTo(100);
        assertThat(JpegStructure.scanLimit(10_000_000)).isEqualTo(50);
        assertThat(JpegStructure.scanLimit(40_000_000)).isEqualTo(12);
    }

    @Test
    void aFortyMegapixelJpegWithOneHundredScansIsRefusedFromItsStructureWhereAFourMegapixelOnePasses() throws Exception {
        // Grey: the encoder writes 6 scans; 94 repeats make exactly 100.
        byte[] large = HostileImages.progressiveScanBomb(7200, 5500, 94);
        assertThat(JpegStructure.countScans(large, Integer.MAX_VALUE)).isEqualTo(100);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> DECODER.verify(large, BUDGET)).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.reason()).isEqualTo(ImageException.Reason.TOO_COMPLEX));
        // Measured before this limit: 4 to 5 s of decoding on a small machine.
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(500);
        DECODER.verify(HostileImages.progressiveScanBomb(2000, 2000, 94), BUDGET);
        DECODER.verify(HostileImages.progressiveScanBomb(7200, 5500, 6), BUDGET);
    }

    @Test
    void aDecodeThatRunsPastItsBudgetIsAbortedAndRefused() {
        byte[] large = HostileImages.progressiveJpeg(3000, 3000);
        assertThatThrownBy(() -> DECODER.verify(large, Duration.ofMillis(1))).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.reason()).isEqualTo(ImageException.Reason.TOO_COMPLEX));
    }

    @Test
    void verifyReadsTheHeaderItChecked() throws Exception {
        ImageHeader header = DECODER.verify(HostileImages.sixteenBitRgbaPng(2000, 1000), BUDGET);
        assertThat(header.width()).isEqualTo(2000);
        assertThat(header.height()).isEqualTo(1000);
    }
}
