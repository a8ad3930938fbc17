package org.chroma402.colorize.image;

/**
 * A decoded 8-bit image: interleaved RGB, plus an alpha plane when the input had one.
 *
 * <p>For speed the arrays are not copied: an instance owns them, and nobody may change them
 * after construction.
 */
public record RgbImage(int width, int height, byte[] rgb, byte[] alpha) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image must have a positive size, got " + width + "x" + height);
        }
        if (rgb.length != Math.multiplyExact(Math.multiplyExact(width, height), 3)) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes for " + width + "x" + height);
        }
        if (alpha != null && alpha.length != width * height) {
            throw new IllegalArgumentException("alpha has " + alpha.length + " bytes for " + width + "x" + height);
        }
    }

    public boolean hasAlpha() {
        return alpha != null;
    }

    public long pixels() {
        return (long) width * height;
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + (hasAlpha() ? ", alpha" : "") + "]";
    }
}
