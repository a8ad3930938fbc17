package org.chroma402.colorize.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import org.chroma402.colorize.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;

/**
 * The parallel PNG writer, read back by the JDK's own PNG reader pixel for pixel, and its
 * stream checked the strict way: every chunk's CRC, one zlib stream whose Adler-32 the JDK's
 * inflater verifies, exactly one filtered row per image row.
 */
class PngWriterTest {
    private static RgbImage noise(int w, int h, boolean alpha, long seed) {
        Random r = new Random(seed);
        byte[] rgb = new byte[w * h * 3];
        r.nextBytes(rgb);
        byte[] a = null;
        if (alpha) {
            a = new byte[w * h];
            r.nextBytes(a);
        }
        return new RgbImage(w, h, rgb, a);
    }

    /** Smooth gradients with edges: rows where each of the five filters wins. */
    private static RgbImage gradients(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = 3 * (y * w + x);
                rgb[p] = (byte) (x * 255 / Math.max(1, w - 1));
                rgb[p + 1] = (byte) (y * 255 / Math.max(1, h - 1));
                rgb[p + 2] = (byte) ((x / 17 + y / 13) % 2 == 0 ? (x + y) : 255 - x);
            }
        }
        return new RgbImage(w, h, rgb, null);
    }

    private static void assertSamePixels(RgbImage expected, byte[] png) throws Exception {
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(read.getWidth()).isEqualTo(expected.width());
        assertThat(read.getHeight()).isEqualTo(expected.height());
        assertThat(read.getColorModel().hasAlpha()).isEqualTo(expected.hasAlpha());
        for (int y = 0; y < expected.height(); y++) {
            for (int x = 0; x < expected.width(); x++) {
                int p = y * expected.width() + x;
                int argb = read.getRGB(x, y);
                int want = (expected.hasAlpha() ? (expected.alpha()[p] & 0xff) << 24 : 0xff000000)
                        | (expected.rgb()[3 * p] & 0xff) << 16 | (expected.rgb()[3 * p + 1] & 0xff) << 8 | expected.rgb()[3 * p + 2] & 0xff;
                if (argb != want) {
                    throw new AssertionError(String.format("pixel (%d, %d): %08x, expected %08x", x, y, argb, want));
                }
            }
        }
    }

    /** The filter types the rows of the streams checked used. */
    private static final Set<Integer> FILTERS = new TreeSet<>();

    /** Walks the chunks (checking each CRC) and inflates the IDAT stream to its end (the inflater checks the Adler-32). */
    private static int checkStream(byte[] png, RgbImage image) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(png);
        b.position(8);
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        int idatChunks = 0;
        String type = "";
        while (!type.equals("IEND")) {
            int length = b.getInt();
            byte[] name = new byte[4];
            b.get(name);
            type = new String(name, StandardCharsets.US_ASCII);
            byte[] data = new byte[length];
            b.get(data);
            CRC32 crc = new CRC32();
            crc.update(name);
            crc.update(data);
            assertThat(b.getInt()).as(type + " CRC").isEqualTo((int) crc.getValue());
            if (type.equals("IDAT")) {
                idat.writeBytes(data);
                idatChunks++;
            }
        }
        assertThat(b.hasRemaining()).isFalse();
        Inflater inflater = new Inflater();
        inflater.setInput(idat.toByteArray());
        byte[] raw = new byte[image.height() * (image.width() * (image.hasAlpha() ? 4 : 3) + 1) + 1];
        int n = 0;
        while (!inflater.finished()) {
            int got = inflater.inflate(raw, n, raw.length - n);
            assertThat(got > 0 || inflater.finished()).as("the stream ends where it should").isTrue();
            n += got;
        }
        assertThat(n).isEqualTo(raw.length - 1);
        int rowBytes = image.width() * (image.hasAlpha() ? 4 : 3) + 1;
        for (int y = 0; y < image.height(); y++) {
            assertThat(raw[y * rowBytes]).as("filter type of row " + y).isBetween((byte) 0, (byte) 4);
            FILTERS.add((int) raw[y * rowBytes]);
        }
        assertThat(inflater.getRemaining()).isZero();
        inflater.end();
        return idatChunks;
    }

    @Test
    void writesWhatTheJdkReadsBackInStripsAndOnOneThread() throws Exception {
        RgbImage photo = new ImageDecoder(ImageLimits.DEFAULTS).decode(Files.readAllBytes(RepositoryFiles.realPhoto("nipomo-1936.jpg")));
        FILTERS.clear();
        for (RgbImage image : new RgbImage[] {photo, gradients(640, 480), noise(700, 500, true, 1), noise(1, 1, false, 2),
                noise(1, 300, true, 3), noise(300, 1, false, 4)}) {
            for (PngWriter writer : new PngWriter[] {new PngWriter(), new PngWriter(1, 1), new PngWriter(6, 7),
                    new PngWriter(1, PngWriter.Strategy.ADAPTIVE, 1), new PngWriter(6, PngWriter.Strategy.ADAPTIVE, 5)}) {
                byte[] png = writer.write(image);
                assertSamePixels(image, png);
                checkStream(png, image);
            }
        }
        assertThat(FILTERS).as("every filter was chosen somewhere, so every one was read back").containsExactly(0, 1, 2, 3, 4);
    }

    /** The branch-free Paeth predictor is the PNG specification's, for every neighbourhood of three bytes. */
    @Test
    void thePaethPredictorIsTheSpecificationsForEveryNeighbourhood() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c = 0; c < 256; c++) {
                    int p = a + b - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - b);
                    int pc = Math.abs(p - c);
                    int expected = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    if (PngWriter.paeth(a, b, c) != expected) {
                        throw new AssertionError("paeth(" + a + ", " + b + ", " + c + ") = " + PngWriter.paeth(a, b, c) + ", expected " + expected);
                    }
                }
            }
        }
    }

    /** Noise over a flat half: strips coded by Huffman alone and strips matched, joined in one stream. */
    private static RgbImage noiseOverFlat(int w, int h) {
        RgbImage image = noise(w, h, false, 6);
        byte[] rgb = image.rgb();
        for (int p = 3 * w * (h / 2); p < rgb.length; p += 3) {
            rgb[p] = (byte) 200;
            rgb[p + 1] = (byte) 180;
            rgb[p + 2] = (byte) ((p / (3 * w)) % 7 == 0 ? 0 : 160);
        }
        return image;
    }

    @Test
    void adaptiveMatchesTheStripsWhereMatchingPaysAndJoinsThemWithTheOthers() throws Exception {
        RgbImage mixed = noiseOverFlat(800, 900);
        int raw = 900 * (800 * 3 + 1);
        for (int strips : new int[] {2, 3, 4}) {
            byte[] png = new PngWriter(1, PngWriter.Strategy.ADAPTIVE, strips).write(mixed);
            assertSamePixels(mixed, png);
            checkStream(png, mixed);
            // The noise half cannot be compressed; Huffman coding alone would leave an eighth of the flat half (0.56).
            assertThat((double) png.length / raw).as(strips + " strips against the filtered bytes").isLessThan(0.54);
        }
        RgbImage flat = noiseOverFlat(800, 900);
        Arrays.fill(flat.rgb(), (byte) 90);
        byte[] adaptive = new PngWriter(1, PngWriter.Strategy.ADAPTIVE, 3).write(flat);
        byte[] matching = new PngWriter(1, 3).write(flat);
        assertSamePixels(flat, adaptive);
        // Huffman coding alone cannot go below a bit a byte; string matching takes a flat image far below that.
        assertThat(adaptive.length).as("a flat image").isLessThan(raw / 100).isLessThanOrEqualTo(matching.length);
        byte[] lines = new PngWriter(1, PngWriter.Strategy.ADAPTIVE, 2).write(gradients(900, 700));
        assertThat(lines.length).as("gradients and stripes").isLessThanOrEqualTo(new PngWriter(1, 2).write(gradients(900, 700)).length);
    }

    @Test
    void adaptiveKeepsMatchingForAGreyPhotoWhereItPays() throws Exception {
        // A grey photo's three channels repeat each other's differences: Huffman coding alone would be ~1.6x larger.
        RgbImage photo = new ImageDecoder(ImageLimits.DEFAULTS).decode(Files.readAllBytes(RepositoryFiles.realPhoto("keller-chaplin-1919.jpg")));
        double ratio = (double) new PngWriter(1, PngWriter.Strategy.ADAPTIVE, 2).write(photo).length / new PngWriter(1, 2).write(photo).length;
        assertThat(ratio).as("adaptive against level-1 matching").isLessThanOrEqualTo(1.01);
    }

    @Test
    void matchingPaysForRegularBytesAndNotForNoise() {
        PngWriter writer = new PngWriter();
        byte[] noise = new byte[200_000];
        new Random(7).nextBytes(noise);
        assertThat(writer.matchingPays(noise, 0, noise.length)).as("noise").isFalse();
        assertThat(writer.matchingPays(noise, 1000, 1000 + 20_000)).as("a short run of noise, sampled whole").isFalse();
        byte[] repeats = new byte[200_000];
        for (int i = 0; i < repeats.length; i++) {
            repeats[i] = noise[i % 3000];
        }
        assertThat(writer.matchingPays(repeats, 0, repeats.length)).as("rows that repeat").isTrue();
        assertThat(writer.matchingPays(new byte[100], 0, 100)).as("zeros").isTrue();
    }

    @Test
    void refusesLevelsAndStripCountsZlibHasNot() {
        assertThatThrownBy(() -> new PngWriter(0, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PngWriter(10, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PngWriter(1, PngWriter.Strategy.ADAPTIVE, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largeOutputsSpanSeveralIdatChunks() throws Exception {
        RgbImage image = noise(1000, 800, false, 5);
        byte[] png = new PngWriter(1, 4).write(image);
        assertThat(checkStream(png, image)).as("2.4 MB of noise does not compress below 1 MiB").isGreaterThan(1);
        assertSamePixels(image, png);
    }

    @Test
    void compressesAPhotoAboutAsWellAsTheJdkWriter() throws Exception {
        RgbImage photo = new ImageDecoder(ImageLimits.DEFAULTS).decode(Files.readAllBytes(RepositoryFiles.realPhoto("nipomo-1936.jpg")));
        byte[] ours = new PngWriter().write(photo);
        ByteArrayOutputStream jdk = new ByteArrayOutputStream();
        BufferedImage copy = new BufferedImage(photo.width(), photo.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < photo.height(); y++) {
            for (int x = 0; x < photo.width(); x++) {
                int p = 3 * (y * photo.width() + x);
                copy.setRGB(x, y, (photo.rgb()[p] & 0xff) << 16 | (photo.rgb()[p + 1] & 0xff) << 8 | photo.rgb()[p + 2] & 0xff);
            }
        }
        ImageIO.write(copy, "png", jdk);
        assertThat((double) ours.length / jdk.size()).as("size against the JDK's default").isLessThan(1.25);
    }
}
