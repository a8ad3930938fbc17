package org.chroma402.colorize.image;

import java.util.Locale;

/**
 * The marker structure of a JPEG, walked without decoding anything: linear in the file's size.
 * It refuses files whose structure promises far more decoding work than a photo needs, before a
 * decoder sees them. A progressive JPEG from a camera or an encoder has about ten scans (libjpeg
 * writes 10 for colour, 6 for grey); a "scan bomb" repeats a scan thousands of times, and each
 * repetition makes the decoder walk every coefficient of the image again.
 *
 * <p>The cost of a decode grows with scans times pixels (measured: about a millisecond per scan
 * and megapixel, so a 40-megapixel JPEG with 100 scans takes 4 to 5 s to check, one with 12 scans
 * 0.8 s), so large pictures may have fewer scans: at most {@value #SCAN_MEGAPIXEL_BUDGET} scans
 * times megapixels, never fewer than {@value #MIN_SCAN_LIMIT} (a 40-megapixel progressive photo
 * from libjpeg has 10) nor more than {@value #MAX_SCANS}.
 */
final class JpegStructure {
    /** Most scans a JPEG may have: ten times what encoders write. */
    static final int MAX_SCANS = 100;
    /** Scans allowed whatever the size: libjpeg's colour script has 10. */
    static final int MIN_SCAN_LIMIT = 12;
    /** Most scans times megapixels: about a second of decoding. */
    static final int SCAN_MEGAPIXEL_BUDGET = 500;

    private JpegStructure() {
    }

    /** Refuses a JPEG with more scans than {@link #scanLimit} allows its size; other formats pass untouched. */
    static void check(ImageFormat format, byte[] data) throws ImageException {
        if (format != ImageFormat.JPEG) {
            return;
        }
        long[] pixels = new long[1];
        int scans = walk(data, MAX_SCANS + 1, pixels);
        int limit = scanLimit(pixels[0]);
        if (scans > limit) {
            throw new ImageException(ImageException.Reason.TOO_COMPLEX, String.format(Locale.ROOT,
                    "the JPEG has more than %d scans for its %.1f megapixels (photos have about 10): it would take far"
                            + " too long to decode", limit, pixels[0] / 1e6));
        }
    }

    /** Most scans a JPEG of {@code pixels} may have (0 pixels: the size is unknown, the plain limit). */
    static int scanLimit(long pixels) {
        if (pixels <= 0) {
            return MAX_SCANS;
        }
        long byBudget = SCAN_MEGAPIXEL_BUDGET * 1_000_000L / pixels;
        return (int) Math.min(MAX_SCANS, Math.max(MIN_SCAN_LIMIT, byBudget));
    }

    /**
     * The number of start-of-scan markers, counting at most to {@code stopAt}. Malformed structure
     * is not judged here (the decoder reports it); the walk just ends.
     */
    static int countScans(byte[] data, int stopAt) {
        return walk(data, stopAt, new long[1]);
    }

    /** {@link #countScans}, also setting {@code pixels[0]} from the frame header when there is one. */
    private static int walk(byte[] data, int stopAt, long[] pixels) {
        int scans = 0;
        int i = 2; // after SOI
        while (i + 3 < data.length && scans < stopAt) {
            if ((data[i] & 0xff) != 0xff) {
                return scans;
            }
            int marker = data[i + 1] & 0xff;
            if (marker == 0xff) {
                i++; // fill byte
                continue;
            }
            if (marker == 0xd9) {
                return scans; // EOI
            }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
                i += 2; // no length
                continue;
            }
            int length = ((data[i + 2] & 0xff) << 8) | (data[i + 3] & 0xff);
            if (length < 2) {
                return scans;
            }
            boolean frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (frame && i + 8 < data.length) {
                int height = ((data[i + 5] & 0xff) << 8) | (data[i + 6] & 0xff);
                int width = ((data[i + 7] & 0xff) << 8) | (data[i + 8] & 0xff);
                pixels[0] = (long) width * height;
            }
            i += 2 + length;
            if (marker == 0xda) {
                scans++;
                // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
                while (i + 1 < data.length) {
                    if ((data[i] & 0xff) == 0xff) {
                        int next = data[i + 1] & 0xff;
                        if (next != 0x00 && !(next >= 0xd0 && next <= 0xd7) && next != 0xff) {
                            break;
                        }
                    }
                    i++;
                }
            }
        }
        return scans;
    }
}
