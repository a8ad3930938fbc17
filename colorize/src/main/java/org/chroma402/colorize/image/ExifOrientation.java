package org.chroma402.colorize.image;

/**
 * Reads the EXIF orientation (tag 0x0112) of JPEG, PNG ({@code eXIf}), WebP ({@code EXIF}) and
 * TIFF files, and applies it to decoded pixels as OpenCV's {@code imread} does.
 *
 * <p>Broken or hostile EXIF never fails a decode: any inconsistency means "no orientation"
 * ({@code 1}), because a photo with a damaged metadata block is still a photo.
 */
public final class ExifOrientation {
    public static final int NORMAL = 1;
    private static final int TAG_ORIENTATION = 0x0112;

    private ExifOrientation() {
    }

    /** The orientation, 1 to 8; 1 when absent or unreadable. */
    public static int read(byte[] data, ImageFormat format) {
        try {
            int value = switch (format) {
                case JPEG -> fromJpeg(data);
                case PNG -> fromPng(data);
                case WEBP -> fromWebp(data);
                case TIFF -> fromTiff(data, 0, data.length);
                default -> NORMAL;
            };
            return value >= 1 && value <= 8 ? value : NORMAL;
        } catch (RuntimeException e) {
            return NORMAL;
        }
    }

    /** Whether the orientation swaps width and height. */
    public static boolean swapsSides(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    private static int fromJpeg(byte[] d) {
        int pos = 2;
        while (pos + 4 <= d.length) {
            if ((d[pos] & 0xff) != 0xff) {
                return NORMAL;
            }
            int marker = d[pos + 1] & 0xff;
            if (marker == 0xff) {
                pos++;
                continue;
            }
            if (marker == 0xda || marker == 0xd9) {
                return NORMAL; // Start of scan or end of image: metadata is over.
            }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
                pos += 2;
                continue;
            }
            int length = u16be(d, pos + 2);
            if (length < 2 || pos + 2 + length > d.length) {
                return NORMAL;
            }
            int start = pos + 4;
            if (marker == 0xe1 && length >= 8 && d[start] == 'E' && d[start + 1] == 'x' && d[start + 2] == 'i'
                    && d[start + 3] == 'f' && d[start + 4] == 0 && d[start + 5] == 0) {
                return fromTiff(d, start + 6, pos + 2 + length);
            }
            pos += 2 + length;
        }
        return NORMAL;
    }

    private static int fromPng(byte[] d) {
        int pos = 8;
        while (pos + 12 <= d.length) {
            long length = u32be(d, pos);
            if (length > d.length - pos - 12) {
                return NORMAL;
            }
            String type = new String(d, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (type.equals("eXIf")) {
                return fromTiff(d, pos + 8, pos + 8 + (int) length);
            }
            if (type.equals("IDAT") || type.equals("IEND")) {
                return NORMAL;
            }
            pos += 12 + (int) length;
        }
        return NORMAL;
    }

    private static int fromWebp(byte[] d) {
        int pos = 12;
        while (pos + 8 <= d.length) {
            long length = u32le(d, pos + 4);
            if (length > d.length - pos - 8) {
                return NORMAL;
            }
            String type = new String(d, pos, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (type.equals("EXIF")) {
                int start = pos + 8;
                int end = start + (int) length;
                if (end - start >= 6 && d[start] == 'E' && d[start + 1] == 'x' && d[start + 2] == 'i' && d[start + 3] == 'f') {
                    start += 6; // Some encoders keep the JPEG-style "Exif\0\0" prefix.
                }
                return fromTiff(d, start, end);
            }
            pos += 8 + (int) ((length + 1) & ~1L);
        }
        return NORMAL;
    }

    /** Reads tag 0x0112 from IFD0 of the TIFF structure in {@code d[start, end)}. */
    private static int fromTiff(byte[] d, int start, int end) {
        if (end - start < 8) {
            return NORMAL;
        }
        boolean little;
        if (d[start] == 'I' && d[start + 1] == 'I') {
            little = true;
        } else if (d[start] == 'M' && d[start + 1] == 'M') {
            little = false;
        } else {
            return NORMAL;
        }
        if (u16(d, start + 2, little) != 42) {
            return NORMAL;
        }
        long ifd = u32(d, start + 4, little);
        if (ifd < 8 || ifd > end - start - 2) {
            return NORMAL;
        }
        int pos = start + (int) ifd;
        int count = u16(d, pos, little);
        pos += 2;
        for (int i = 0; i < count && pos + 12 <= end; i++, pos += 12) {
            if (u16(d, pos, little) == TAG_ORIENTATION) {
                int type = u16(d, pos + 2, little);
                if (type == 3) { // SHORT
                    return u16(d, pos + 8, little);
                }
                if (type == 4) { // LONG, seen in the wild
                    return (int) Math.min(u32(d, pos + 8, little), 9);
                }
                return NORMAL;
            }
        }
        return NORMAL;
    }

    /** Applies an orientation to a decoded image; 1 returns it unchanged. */
    public static RgbImage apply(RgbImage image, int orientation) {
        if (orientation == NORMAL) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        boolean swap = swapsSides(orientation);
        int outW = swap ? h : w;
        int outH = swap ? w : h;
        byte[] rgb = new byte[image.rgb().length];
        byte[] alpha = image.alpha() == null ? null : new byte[image.alpha().length];
        byte[] srcRgb = image.rgb();
        byte[] srcAlpha = image.alpha();
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    case 8 -> { sx = w - 1 - y; sy = x; }
                    default -> throw new IllegalArgumentException("orientation " + orientation);
                }
                int from = sy * w + sx;
                int to = y * outW + x;
                rgb[3 * to] = srcRgb[3 * from];
                rgb[3 * to + 1] = srcRgb[3 * from + 1];
                rgb[3 * to + 2] = srcRgb[3 * from + 2];
                if (alpha != null) {
                    alpha[to] = srcAlpha[from];
                }
            }
        }
        return new RgbImage(outW, outH, rgb, alpha);
    }

    private static int u16be(byte[] d, int p) {
        return ((d[p] & 0xff) << 8) | (d[p + 1] & 0xff);
    }

    private static long u32be(byte[] d, int p) {
        return ((long) (d[p] & 0xff) << 24) | ((d[p + 1] & 0xff) << 16) | ((d[p + 2] & 0xff) << 8) | (d[p + 3] & 0xff);
    }

    private static long u32le(byte[] d, int p) {
        return ((long) (d[p + 3] & 0xff) << 24) | ((d[p + 2] & 0xff) << 16) | ((d[p + 1] & 0xff) << 8) | (d[p] & 0xff);
    }

    private static int u16(byte[] d, int p, boolean little) {
        return little ? ((d[p + 1] & 0xff) << 8) | (d[p] & 0xff) : u16be(d, p);
    }

    private static long u32(byte[] d, int p, boolean little) {
        return little ? u32le(d, p) : u32be(d, p);
    }
}
