package org.chroma402.colorize.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes colorized images: PNG (the default, alpha kept; {@link PngWriter}, on all cores) or JPEG
 * at a configurable quality (alpha, which JPEG cannot hold, is composited over white).
 */
public final class ImageEncoder {
    public static final float DEFAULT_JPEG_QUALITY = 0.92f;
    private final float jpegQuality;
    private final PngWriter png = new PngWriter();

    public ImageEncoder(float jpegQuality) {
        if (jpegQuality <= 0 || jpegQuality > 1) {
            throw new IllegalArgumentException("JPEG quality must be in (0, 1], got " + jpegQuality);
        }
        this.jpegQuality = jpegQuality;
    }

    public ImageEncoder() {
        this(DEFAULT_JPEG_QUALITY);
    }

    public byte[] encode(RgbImage image, OutputFormat format) {
        return switch (format) {
            case PNG -> png.write(image);
            case JPEG -> write(toBufferedImage(flatten(image)), "jpeg", jpegQuality);
        };
    }

    private static RgbImage flatten(RgbImage image) {
        if (!image.hasAlpha()) {
            return image;
        }
        byte[] rgb = image.rgb().clone();
        byte[] alpha = image.alpha();
        for (int i = 0; i < alpha.length; i++) {
            int a = alpha[i] & 0xff;
            for (int c = 0; c < 3; c++) {
                int v = rgb[3 * i + c] & 0xff;
                rgb[3 * i + c] = (byte) ((v * a + 255 * (255 - a) + 127) / 255);
            }
        }
        return new RgbImage(image.width(), image.height(), rgb, null);
    }

    private static BufferedImage toBufferedImage(RgbImage image) {
        int w = image.width();
        int h = image.height();
        byte[] src = image.rgb();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0, n = w * h; i < n; i++) {
            dst[3 * i] = src[3 * i + 2];
            dst[3 * i + 1] = src[3 * i + 1];
            dst[3 * i + 2] = src[3 * i];
        }
        return out;
    }

    private static byte[] write(BufferedImage image, String format, Float quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IllegalStateException("no " + format + " writer installed");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.getWidth() * image.getHeight());
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality != null && param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + format + " to memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
