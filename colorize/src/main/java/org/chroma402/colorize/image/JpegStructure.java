package org.chroma402.colorize.image;

import java.util.Locale;

/**
 * The marker structure of a JPEG, walked without decoding anything: linear in the file's size.
 * It refuses files whose structure promises far more decoding work than a photo needs, before a
 * decoder sees them. A progressive JPEG from a camera or an encoder has about ten scans (libjpeg
 * writes 10 for colour, 6 for grey); a "scan bomb" repeats a scan thousands of times, and each
 * repetition makes the decoder walk every coefficient of the image again.
 */
final class JpegStructure {
    /** Most scans a JPEG may have: ten times what encoders write. */
    static final int MAX_SCANS = 100;

    private JpegStructure() {
    }

    /** Refuses a JPEG with more than {@link #MAX_SCANS} scans; other formats pass untouched. */
    static void check(ImageFormat format, byte[] data) throws ImageException {
        if (format != ImageFormat.JPEG) {
            return;
        }
        int scans = countScans(data, MAX_SCANS + 1);
        if (scans > MAX_SCANS) {
            throw new ImageException(ImageException.Reason.TOO_COMPLEX, String.format(Locale.ROOT,
                    "the JPEG has more than %d scans (photos have about 10): it would take far too long to decode",
                    MAX_SCANS));
        }
    }

    /**
     * The number of start-of-scan markers, counting at most to {@code stopAt}. Malformed structure
     * is not judged here (the decoder reports it); the walk just ends.
     */
    static int countScans(byte[] data, int stopAt) {
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
