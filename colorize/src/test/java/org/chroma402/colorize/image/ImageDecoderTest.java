package org.chroma402.colorize.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.util.Random;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
    private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULTS);
    private static final RgbImage REFERENCE = decode("grey.png");

    private static RgbImage decode(String name) {
        try {
            return DECODER.decode(TestResources.bytes("formats/" + name));
        } catch (ImageException e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grey.png", "grey16.png", "rgb16.png", "palette.png", "rgba.png", "grey-alpha.png",
        "image.bmp", "animated.gif", "image.tiff", "grey16.tiff", "lossless-alpha.webp"})
    void losslessFormatsGiveTheSamePixels(String name) {
        RgbImage image = decode(name);
        assertThat(image.width()).isEqualTo(61);
        assertThat(image.height()).isEqualTo(47);
        int tolerance = name.startsWith("palette") ? 6 : 0;
        assertThat(maxDifference(image, REFERENCE)).as(name).isLessThanOrEqualTo(tolerance);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"baseline.jpg", "progressive.jpg", "grey.jpg", "cmyk.jpg", "lossy.webp"})
    void lossyFormatsGiveCloseToTheSamePixels(String name) {
        RgbImage image = decode(name);
        assertThat(image.width()).isEqualTo(61);
        assertThat(image.height()).isEqualTo(47);
        assertThat(meanDifference(image, REFERENCE)).as(name).isLessThan(6.0);
    }

    @Test
    void alphaIsKeptAndOpaqueImagesHaveNone() {
        assertThat(decode("rgba.png").alpha()).isNotNull();
        assertThat(decode("grey-alpha.png").alpha()).isNotNull();
        assertThat(decode("lossless-alpha.webp").alpha()).isNotNull();
        RgbImage rgba = decode("rgba.png");
        assertThat(rgba.alpha()[0] & 0xff).isZero();
        assertThat(rgba.alpha()[60] & 0xff).isEqualTo(255);
        assertThat(decode("baseline.jpg").alpha()).isNull();
        assertThat(decode("grey.png").alpha()).isNull();
    }

    @Test
    void theFirstFrameOfAnAnimatedGifIsUsed() {
        assertThat(maxDifference(decode("animated.gif"), REFERENCE)).isZero();
    }

    @Test
    void exifOrientationIsApplied() {
        RgbImage upright = decode("baseline.jpg");
        RgbImage rotated6 = decode("exif-orientation-6.jpg");
        RgbImage rotated8 = decode("exif-orientation-8.jpg");
        RgbImage rotated3 = decode("exif-orientation-3.jpg");
        assertThat(rotated6.width()).isEqualTo(47);
        assertThat(rotated6.height()).isEqualTo(61);
        assertThat(rotated8.width()).isEqualTo(47);
        assertThat(rotated3.width()).isEqualTo(61);
        // Orientation 6 means "rotate 90 degrees clockwise to display". The files are separate
        // JPEG encodings, so compare loosely, and check the wrong rotation is far off.
        assertThat(meanDifference(rotated6, ExifOrientation.apply(upright, 6))).isLessThan(6.0);
        assertThat(meanDifference(rotated8, ExifOrientation.apply(upright, 8))).isLessThan(6.0);
        assertThat(meanDifference(rotated3, ExifOrientation.apply(upright, 3))).isLessThan(6.0);
        assertThat(meanDifference(rotated6, ExifOrientation.apply(upright, 8))).isGreaterThan(20.0);
    }

    @Test
    void probeReadsTheOrientedSizeWithoutDecoding() throws Exception {
        ImageHeader header = DECODER.probe(TestResources.bytes("formats/exif-orientation-6.jpg"));
        assertThat(header.format()).isEqualTo(ImageFormat.JPEG);
        assertThat(header.width()).isEqualTo(47);
        assertThat(header.height()).isEqualTo(61);
        assertThat(header.orientation()).isEqualTo(6);
    }

    @Test
    void colourInputIsAccepted() {
        RgbImage colour = decode("colour.png");
        assertThat(colour.rgb()[0] & 0xff).isEqualTo(200);
        assertThat(colour.rgb()[1] & 0xff).isEqualTo(30);
    }

    @Test
    void limitsAreConfigurableAndCheckedBeforeDecoding() throws Exception {
        ImageDecoder strict = new ImageDecoder(new ImageLimits(3_000, 1_000));
        assertThatThrownBy(() -> strict.decode(TestResources.bytes("formats/rgba.png")))
                .isInstanceOf(ImageException.class).hasMessage("the image is 7.3 KiB, the limit is 2.9 KiB")
                .satisfies(e -> assertThat(((ImageException) e).reason()).isEqualTo(ImageException.Reason.TOO_LARGE));
        assertThatThrownBy(() -> strict.decode(TestResources.bytes("formats/grey.jpg")))
                .isInstanceOf(ImageException.class).hasMessageContaining("image is 61x47")
                .satisfies(e -> assertThat(((ImageException) e).reason()).isEqualTo(ImageException.Reason.TOO_MANY_PIXELS));
    }

    @Test
    void theBombIsRefusedFromItsHeaderWithAMessageAUserCanActOn() {
        assertThatThrownBy(() -> DECODER.decode(TestResources.bytes("hostile/bomb-400mp.png")))
                .isInstanceOf(ImageException.class)
                .hasMessage("image is 20000x20000 (400.0 MP), the limit is 40 MP and 65535 pixels a side");
    }

    /**
     * Every raster layout the readers hand over gives the samples as stored: the byte-copy path
     * (BGR, RGB-ordered and grey bytes, a wide scanline) and the layouts it leaves to the
     * general path (a sub-image, packed ints) against samples read one at a time.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bgr", "rgb-order", "grey", "wide-scanline", "sub-image", "packed-int"})
    void everyRasterLayoutGivesTheStoredSamples(String layout) {
        int w = 37;
        int h = 23;
        Random random = new Random(layout.hashCode());
        BufferedImage image = switch (layout) {
            case "bgr" -> new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            case "grey" -> new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            case "packed-int" -> new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            case "sub-image" -> new BufferedImage(w + 9, h + 5, BufferedImage.TYPE_3BYTE_BGR);
            default -> {
                int scanline = layout.equals("wide-scanline") ? 3 * w + 11 : 3 * w;
                var model = new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, w, h, 3,
                        scanline, new int[] {0, 1, 2});
                var raster = Raster.createWritableRaster(model, null);
                var colours = new ComponentColorModel(ColorSpace.getInstance(
                        ColorSpace.CS_sRGB), false, false, Transparency.OPAQUE,
                        DataBuffer.TYPE_BYTE);
                yield new BufferedImage(colours, raster, false, null);
            }
        };
        var raster = image.getRaster();
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int x = 0; x < raster.getWidth(); x++) {
                for (int b = 0; b < raster.getNumBands(); b++) {
                    raster.setSample(x, y, b, random.nextInt(256));
                }
            }
        }
        if (layout.equals("sub-image")) {
            image = image.getSubimage(4, 3, w, h);
        }
        RgbImage rgb = ImageDecoder.toRgb(image);
        var read = image.getRaster();
        boolean grey = read.getNumBands() == 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = 3 * (y * w + x);
                int[] want = grey ? new int[] {read.getSample(x, y, 0), read.getSample(x, y, 0), read.getSample(x, y, 0)}
                        : new int[] {read.getSample(x, y, 0), read.getSample(x, y, 1), read.getSample(x, y, 2)};
                int[] got = {rgb.rgb()[at] & 0xff, rgb.rgb()[at + 1] & 0xff, rgb.rgb()[at + 2] & 0xff};
                assertThat(got).as("%s pixel (%d, %d)", layout, x, y).containsExactly(want);
            }
        }
    }

    static int maxDifference(RgbImage a, RgbImage b) {
        int max = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            max = Math.max(max, Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff)));
        }
        return max;
    }

    static double meanDifference(RgbImage a, RgbImage b) {
        assertThat(a.width()).isEqualTo(b.width());
        assertThat(a.height()).isEqualTo(b.height());
        long sum = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            sum += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
        }
        return sum / (double) a.rgb().length;
    }
}
