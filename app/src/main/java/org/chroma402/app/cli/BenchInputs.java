package org.chroma402.app.cli;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.util.Locale;
import javax.imageio.ImageIO;

/** What the benchmarks feed the engine and the server: sizes from the command line, and photos made up for them. */
final class BenchInputs {
    private BenchInputs() {
    }

    static int[] parseSize(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 2) {
            return null;
        }
        try {
            int w = Integer.parseInt(parts[0].strip());
            int h = Integer.parseInt(parts[1].strip());
            return w > 0 && h > 0 && w <= 20000 && h <= 20000 ? new int[] {w, h} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A deterministic grey "photo" (smooth shapes and fine texture) encoded as a JPEG upload. */
    static byte[] syntheticJpeg(int width, int height) throws java.io.IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        java.util.Random random = new java.util.Random(402);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double u = x / (double) width;
                double v = y / (double) height;
                double value = 128 + 70 * Math.sin(6 * u + 3 * v) * Math.cos(4 * v) + 30 * Math.sin(40 * u * v)
                        + random.nextGaussian() * 6;
                px[y * width + x] = (byte) Math.max(0, Math.min(255, (int) value));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", bytes);
        return bytes.toByteArray();
    }
}
