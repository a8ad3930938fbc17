package org.chroma402.colorize.image;

/**
 * Hard limits on inputs, checked before a full decode: the encoded size and the pixel count
 * read from the header, so a decompression bomb is refused without being decoded.
 */
public record ImageLimits(long maxEncodedBytes, long maxPixels) {
    public static final long DEFAULT_MAX_ENCODED_BYTES = 20L * 1024 * 1024;
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    /** No side may exceed this, whatever the pixel limit: keeps every index inside an int. */
    public static final int MAX_SIDE = 65_535;
    public static final ImageLimits DEFAULTS = new ImageLimits(DEFAULT_MAX_ENCODED_BYTES, DEFAULT_MAX_PIXELS);

    public ImageLimits {
        if (maxEncodedBytes <= 0 || maxEncodedBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxEncodedBytes must be between 1 and 2 GiB, got " + maxEncodedBytes);
        }
        if (maxPixels <= 0 || maxPixels > 200_000_000L) {
            throw new IllegalArgumentException("maxPixels must be between 1 and 200 million, got " + maxPixels);
        }
    }

    public double maxMegapixels() {
        return maxPixels / 1_000_000.0;
    }
}
