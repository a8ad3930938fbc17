package org.chroma402.colorize.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Hostile images too large (or too many) to commit, made on demand: each is small on the wire and
 * built to cost a decoder far more than its size suggests.
 */
public final class HostileImages {
    private HostileImages() {
    }

    /**
     * A flat grey progressive JPEG whose last scan is repeated {@code repeats} more times (a "scan
     * bomb"): flat, so each scan is a few hundred bytes however large the picture.
     */
    public static byte[] progressiveScanBomb(int width, int height, int repeats) {
        byte[] jpeg = progressiveJpeg(width, height, true);
        // Find the last SOS segment and the EOI; repeat [last SOS, EOI) before the EOI.
        int lastSos = -1;
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xda) {
                lastSos = i;
            }
        }
        int eoi = jpeg.length - 2;
        if (lastSos < 0 || (jpeg[eoi] & 0xff) != 0xff || (jpeg[eoi + 1] & 0xff) != 0xd9) {
            throw new IllegalStateException("the encoder wrote no progressive scans");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, eoi);
        for (int r = 0; r < repeats; r++) {
            out.write(jpeg, lastSos, eoi - lastSos);
        }
        out.write(jpeg, eoi, 2);
        return out.toByteArray();
    }

    /** A smooth grey picture as a progressive JPEG (the JDK's encoder writes libjpeg's scan script). */
    public static byte[] progressiveJpeg(int width, int height) {
        return progressiveJpeg(width, height, false);
    }

    private static byte[] progressiveJpeg(int width, int height, boolean flat) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                px[y * width + x] = (byte) (flat ? 128 : (x * 7 + y * 3) & 0xff);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
                writer.write(null, new IIOImage(img, null, null), param);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /**
     * A 16-bit RGBA PNG of {@code width x height}, all zero, so it compresses ~1000:1: the
     * 40-megapixel one is 0.3 MB on the wire and 320 MB of samples.
     */
    public static byte[] sixteenBitRgbaPng(int width, int height) {
        return png(width, height, 16, 6, 8, new byte[0][]);
    }

    /** An 8-bit grey PNG of {@code width x height}, all black: a photo of many megapixels in a few kilobytes. */
    public static byte[] greyPng(int width, int height) {
        return png(width, height, 8, 0, 1, new byte[0][]);
    }

    /** A small valid grey PNG followed by {@code chunks} compressed text chunks of {@code chunkBytes} each. */
    public static byte[] pngWithTextChunks(int chunks, int chunkBytes) {
        byte[][] extra = new byte[chunks][];
        for (int i = 0; i < chunks; i++) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("Comment".getBytes(StandardCharsets.US_ASCII));
            body.write(0);
            body.write(0);
            body.writeBytes(deflate(new byte[chunkBytes]));
            extra[i] = chunk("zTXt", body.toByteArray());
        }
        return png(64, 64, 8, 0, 1, extra);
    }

    /**
     * A JPEG whose ICC profile is split over {@code segments} APP2 segments of junk (about 64 KB
     * each): a decoder that assembles and parses the profile does so at its own risk.
     */
    public static byte[] jpegWithDeepIcc(byte[] jpeg, int segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        byte[] junk = new byte[65_000];
        new java.util.Random(402).nextBytes(junk);
        for (int i = 0; i < segments; i++) {
            byte[] tag = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
            int length = 2 + tag.length + 2 + junk.length;
            out.write(0xff);
            out.write(0xe2);
            out.write(length >> 8);
            out.write(length & 0xff);
            out.writeBytes(tag);
            out.write(Math.min(255, i + 1));
            out.write(Math.min(255, segments));
            out.writeBytes(junk);
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A real PNG with a ZIP archive appended (a polyglot), which should decode as the PNG. */
    public static byte[] pngZipPolyglot() {
        byte[] png = png(32, 32, 8, 0, 1, new byte[0][]);
        byte[] zip = {0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        ByteBuffer out = ByteBuffer.allocate(png.length + zip.length).put(png).put(zip);
        return out.array();
    }

    private static byte[] png(int width, int height, int bitDepth, int colorType, int bytesPerPixel, byte[][] extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth).put((byte) colorType)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        out.writeBytes(chunk("IHDR", ihdr.array()));
        for (byte[] c : extra) {
            out.writeBytes(c);
        }
        // Rows of zeros (filter byte 0 + samples), deflated as a stream so no 320 MB buffer is needed.
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9), 1 << 16)) {
            byte[] row = new byte[1 + (long) width * bytesPerPixel > Integer.MAX_VALUE ? 0 : 1 + width * bytesPerPixel];
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.writeBytes(chunk("IDAT", idat.toByteArray()));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(name).put(data).putInt((int) crc.getValue())
                .array();
    }

    private static byte[] deflate(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(9))) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
