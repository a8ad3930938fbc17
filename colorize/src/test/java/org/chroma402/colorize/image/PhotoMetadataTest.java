package org.chroma402.colorize.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.chroma402.colorize.pipeline.AbUpsampling;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.colorize.pipeline.ColorizationPipeline;
import org.chroma402.colorize.pipeline.ColorizedPhoto;
import org.chroma402.colorize.pipeline.EngineSettings;
import org.chroma402.colorize.pipeline.ModelSession;
import org.chroma402.colorize.pipeline.SessionSettings;
import org.chroma402.colorize.testing.RepositoryFiles;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NodeList;

/**
 * The input's metadata in the output, read back with readers we did not write (TwelveMonkeys'
 * EXIF and JPEG segment readers, the JDK's PNG metadata): EXIF kept without orientation or
 * thumbnail, and the XMP mark of a colorization.
 */
class PhotoMetadataTest {
    private static final int DESCRIPTION = 0x010E;
    private static final int ORIENTATION = 0x0112;
    private static final int DATE_TIME = 0x0132;
    private static ColorizationEngine engine;
    private static ColorizationPipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        engine = new ColorizationEngine(ModelSession.open(TestResources.anySizeModel(), new SessionSettings(1, 1, false, 0, 256)),
                new EngineSettings(1, 1, 4), "tiny").start();
        pipeline = new ColorizationPipeline(new ImageDecoder(ImageLimits.DEFAULTS), new ImageEncoder(), engine, AbUpsampling.NEAREST);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** Big-endian TIFF: IFD0 with a description, orientation 6 and a date, then an IFD1 (the thumbnail's). */
    static byte[] exif() {
        byte[] description = "Helen Keller meets Charlie Chaplin\0".getBytes(StandardCharsets.US_ASCII);
        byte[] date = "1919:05:01 12:00:00\0".getBytes(StandardCharsets.US_ASCII);
        int ifd0 = 8;
        int data = ifd0 + 2 + 3 * 12 + 4;
        int ifd1 = data + description.length + date.length;
        ByteBuffer b = ByteBuffer.allocate(ifd1 + 2 + 12 + 4);
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(ifd0);
        b.putShort((short) 3);
        b.putShort((short) DESCRIPTION).putShort((short) 2).putInt(description.length).putInt(data);
        b.putShort((short) ORIENTATION).putShort((short) 3).putInt(1).putShort((short) 6).putShort((short) 0);
        b.putShort((short) DATE_TIME).putShort((short) 2).putInt(date.length).putInt(data + description.length);
        b.putInt(ifd1);
        b.put(description).put(date);
        b.putShort((short) 1).putShort((short) 0x0103).putShort((short) 3).putInt(1).putShort((short) 6).putShort((short) 0);
        b.putInt(0);
        return b.array();
    }

    /** A grey JPEG with that EXIF in an APP1 after SOI. */
    static byte[] jpegWithExif(byte[] tiff) throws Exception {
        byte[] jpeg = new ImageEncoder().encode(new ImageDecoder(ImageLimits.DEFAULTS).decode(TestResources.bytes("fixtures/inputs/keller.png")),
                OutputFormat.JPEG);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        byte[] payload = concat("Exif\0\0".getBytes(StandardCharsets.US_ASCII), tiff);
        out.write(0xff);
        out.write(0xe1);
        out.write((payload.length + 2) >> 8);
        out.write((payload.length + 2) & 0xff);
        out.write(payload);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    @Test
    void aPngOutputKeepsTheExifWithoutOrientationAndCarriesTheMark() throws Exception {
        byte[] input = jpegWithExif(exif());
        ColorizedPhoto photo = pipeline.colorize(input, OutputFormat.PNG, 288);
        Directory ifd0 = ifd0(PhotoMetadata.readExif(photo.bytes()).orElseThrow());
        assertThat(ifd0.getEntryById(DESCRIPTION).getValue()).isEqualTo("Helen Keller meets Charlie Chaplin");
        assertThat(ifd0.getEntryById(DATE_TIME).getValue()).isEqualTo("1919:05:01 12:00:00");
        assertThat(ifd0.getEntryById(ORIENTATION)).isNull();
        assertThat(ifd0.size()).isEqualTo(2);

        IIOMetadataNode png = (IIOMetadataNode) pngMetadata(photo.bytes());
        String xmp = attribute(png, "iTXtEntry", "keyword", "XML:com.adobe.xmp", "text");
        assertThat(xmp).contains(PhotoMetadata.DIGITAL_SOURCE_TYPE, "DDColor model tiny at 288x288");
        assertThat(attribute(png, "tEXtEntry", "keyword", "Software", "value")).isEqualTo("Chroma402, DDColor model tiny at 288x288");
        // The pixels are upright: orientation 6 turned the 3:2 input into a portrait.
        assertThat(photo.height()).isGreaterThan(photo.width());
    }

    @Test
    void aJpegRenderingOfTheResultCarriesTheSame() throws Exception {
        byte[] png = pipeline.colorize(jpegWithExif(exif()), OutputFormat.PNG).bytes();
        byte[] jpeg = PhotoMetadata.of(png).writeTo(new ImageEncoder().encode(
                new ImageDecoder(ImageLimits.DEFAULTS).decode(png), OutputFormat.JPEG), OutputFormat.JPEG);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            assertThat(exif).hasSize(1);
            in.seek(0);
            List<JPEGSegment> xmp = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "http://ns.adobe.com/xap/1.0/");
            assertThat(xmp).hasSize(1);
            assertThat(new String(xmp.get(0).data().readAllBytes(), StandardCharsets.UTF_8)).contains(PhotoMetadata.DIGITAL_SOURCE_TYPE);
            byte[] tiff = exif.get(0).data().readAllBytes();
            // The segment's data starts after "Exif\0"; the second zero of "Exif\0\0" is padding.
            Directory ifd0 = ifd0(java.util.Arrays.copyOfRange(tiff, tiff[0] == 0 ? 1 : 0, tiff.length));
            assertThat(ifd0.getEntryById(DESCRIPTION).getValue()).isEqualTo("Helen Keller meets Charlie Chaplin");
            assertThat(ifd0.getEntryById(ORIENTATION)).isNull();
        }
        assertThat(ImageIO.read(new ByteArrayInputStream(jpeg))).as("still a JPEG every decoder reads").isNotNull();
    }

    @Test
    void aRealCameraExifLosesOnlyItsOrientationAndThumbnail() throws Exception {
        byte[] input = Files.readAllBytes(RepositoryFiles.realPhoto("nipomo-1936.jpg"));
        Directory before = ifd0(PhotoMetadata.readExif(input).orElseThrow());
        Directory after = ifd0(PhotoMetadata.upright(PhotoMetadata.readExif(input).orElseThrow()).orElseThrow());
        assertThat(before.getEntryById(ORIENTATION)).isNotNull();
        assertThat(after.getEntryById(ORIENTATION)).isNull();
        assertThat(after.size()).isEqualTo(before.size() - 1);
    }

    @Test
    void aPhotoKeptFromTheUnpaidCheckColorizesExactlyAsDecodingItAgain() throws Exception {
        for (byte[] input : new byte[][] {jpegWithExif(exif()), TestResources.bytes("fixtures/inputs/keller.png")}) {
            ImageDecoder.Verified kept = pipeline.validateKeeping(input, java.time.Duration.ofSeconds(10));
            assertThat(kept.image()).as("photos up to a megapixel are decoded whole by the check").isNotNull();
            byte[] again = pipeline.colorize(input, OutputFormat.PNG, 256).bytes();
            byte[] reused = pipeline.colorize(kept.image(), input, OutputFormat.PNG, 256).bytes();
            assertThat(reused).isEqualTo(again);
        }
        byte[] big = new ImageEncoder().encode(new RgbImage(1500, 1000, new byte[1500 * 1000 * 3], null), OutputFormat.PNG);
        assertThat(pipeline.validateKeeping(big, java.time.Duration.ofSeconds(10)).image())
                .as("a larger one is checked at a reduced size, so there is nothing to keep").isNull();
    }

    @Test
    void photosWithoutExifStillGetTheMark() throws Exception {
        ColorizedPhoto photo = pipeline.colorize(TestResources.bytes("fixtures/inputs/keller.png"), OutputFormat.PNG);
        assertThat(PhotoMetadata.readExif(photo.bytes())).isEmpty();
        assertThat(attribute((IIOMetadataNode) pngMetadata(photo.bytes()), "iTXtEntry", "keyword", "XML:com.adobe.xmp", "text"))
                .contains(PhotoMetadata.DIGITAL_SOURCE_TYPE);
    }

    @Test
    void damagedOrHostileExifIsLeftOutAndNeverFailsAColorization() throws Exception {
        Random random = new Random(11);
        byte[] good = exif();
        for (int round = 0; round < 3000; round++) {
            byte[] bad = good.clone();
            for (int flips = 1 + random.nextInt(6); flips > 0; flips--) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt();
            }
            if (random.nextInt(4) == 0) {
                bad = java.util.Arrays.copyOf(bad, random.nextInt(bad.length));
            }
            PhotoMetadata.upright(bad);
            PhotoMetadata.readExif(jpegWithExifFast(bad));
        }
        ColorizedPhoto photo = pipeline.colorize(jpegWithExif(new byte[] {'M', 'M', 0, 42, 0x7f, -1, -1, -1}), OutputFormat.PNG);
        assertThat(PhotoMetadata.readExif(photo.bytes())).isEmpty();
    }

    private static byte[] jpegWithExifFast(byte[] tiff) {
        byte[] payload = concat("Exif\0\0".getBytes(StandardCharsets.US_ASCII), tiff);
        return concat(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe1, (byte) ((payload.length + 2) >> 8),
            (byte) (payload.length + 2)}, payload, new byte[] {(byte) 0xff, (byte) 0xd9});
    }

    private static Directory ifd0(byte[] tiff) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(tiff))) {
            Directory directory = new TIFFReader().read(in);
            return directory instanceof CompoundDirectory compound ? compound.getDirectory(0) : directory;
        }
    }

    private static org.w3c.dom.Node pngMetadata(byte[] png) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
            reader.setInput(in);
            return reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
        }
    }

    private static String attribute(IIOMetadataNode root, String element, String keyAttribute, String key, String valueAttribute) {
        NodeList nodes = root.getElementsByTagName(element);
        for (int i = 0; i < nodes.getLength(); i++) {
            IIOMetadataNode node = (IIOMetadataNode) nodes.item(i);
            if (key.equals(node.getAttribute(keyAttribute))) {
                return node.getAttribute(valueAttribute);
            }
        }
        throw new AssertionError("no " + element + " " + key);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
