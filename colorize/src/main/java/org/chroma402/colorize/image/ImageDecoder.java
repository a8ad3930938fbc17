package org.chroma402.colorize.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG (CMYK, YCCK and progressive included), WebP, BMP, GIF (first frame) and TIFF
 * into 8-bit RGB with an optional alpha plane, applying the EXIF orientation.
 *
 * <p>Limits come first: the encoded size is checked before parsing, the pixel count is read from
 * the header and checked before the pixels are decoded. Every failure is an
 * {@link ImageException}; no exception of an image library escapes. Greyscale and 16-bit
 * samples are taken as stored (16-bit scaled to 8), as OpenCV and libpng do, not through Java's
 * linear-grey colour space.
 */
public final class ImageDecoder {
    static {
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
    }

    /** What {@link #verify} decodes into: about a megapixel, whatever the image's size. */
    private static final long VERIFY_PIXELS = 1L << 20;
    /** Aborts decodes that run past their budget; one daemon thread for every decoder. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "image-decode-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    public ImageLimits limits() {
        return limits;
    }

    /** Reads format and size from the header, enforcing the limits, without decoding pixels. */
    public ImageHeader probe(byte[] data) throws ImageException {
        ImageFormat format = checkedFormat(data);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            ImageReader reader = readerFor(format);
            try {
                reader.setInput(in, true, true);
                return header(reader, format, data);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw corrupt(format, e);
        }
    }

    /** Decodes the image (first frame), oriented as its EXIF data says. */
    public RgbImage decode(byte[] data) throws ImageException {
        ImageFormat format = checkedFormat(data);
        JpegStructure.check(format, data);
        Read read = read(data, format, false, null);
        return ExifOrientation.apply(convert(read.image(), format), read.header().orientation());
    }

    /**
     * Proves that {@link #decode} would succeed, at a bounded cost: the same format, size and
     * structure checks, then a decode of every byte of the data but into at most about a megapixel
     * (so memory does not grow with the image), given up after {@code budget}. What an unpaid
     * request may cost us before it is asked to pay.
     */
    public ImageHeader verify(byte[] data, Duration budget) throws ImageException {
        return verifyKeeping(data, budget).header();
    }

    /** What {@link #verifyKeeping} proved, and the decoded image when the check decoded it whole. */
    public record Verified(ImageHeader header, RgbImage image) {
    }

    /**
     * {@link #verify}, keeping what it decoded: an image of at most about a megapixel is decoded
     * whole by the check, and that is the image {@link #decode} would return, so a caller can keep
     * it instead of decoding the same bytes again. Larger ones come back without an image.
     */
    public Verified verifyKeeping(byte[] data, Duration budget) throws ImageException {
        ImageFormat format = checkedFormat(data);
        JpegStructure.check(format, data);
        Read read = read(data, format, true, budget);
        RgbImage image = convert(read.image(), format);
        // read() subsamples only photos over VERIFY_PIXELS; the rest were decoded whole.
        boolean whole = read.header().pixels() <= VERIFY_PIXELS;
        return new Verified(read.header(), whole ? ExifOrientation.apply(image, read.header().orientation()) : null);
    }

    private record Read(BufferedImage image, ImageHeader header) {
    }

    private Read read(byte[] data, ImageFormat format, boolean subsample, Duration budget) throws ImageException {
        BufferedImage image;
        ImageHeader header;
        List<String> warnings = new ArrayList<>();
        AtomicBoolean timedOut = new AtomicBoolean();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            ImageReader reader = readerFor(format);
            ScheduledFuture<?> watchdog = null;
            try {
                reader.setInput(in, true, true);
                header = header(reader, format, data);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsample ? (int) Math.ceil(Math.sqrt((double) header.pixels() / VERIFY_PIXELS)) : 1;
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                if (budget != null) {
                    watchdog = WATCHDOG.schedule(() -> {
                        timedOut.set(true);
                        reader.abort();
                    }, budget.toMillis(), TimeUnit.MILLISECONDS);
                }
                image = reader.read(0, param);
            } finally {
                if (watchdog != null) {
                    watchdog.cancel(false);
                }
                reader.dispose();
            }
        } catch (ImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (timedOut.get()) {
                throw tooSlow(format, budget);
            }
            throw corrupt(format, e);
        } catch (OutOfMemoryError e) {
            // Only a hostile file gets here past the pixel limit; refuse it rather than die.
            throw new ImageException(ImageException.Reason.CORRUPT,
                    "the " + name(format) + " image needs more memory to decode than its size suggests");
        }
        if (timedOut.get()) {
            throw tooSlow(format, budget);
        }
        for (String warning : warnings) {
            String w = warning.toLowerCase(Locale.ROOT);
            if (w.contains("premature end") || w.contains("truncat") || w.contains("eof") || w.contains("end of file")) {
                throw new ImageException(ImageException.Reason.CORRUPT,
                        "the " + name(format) + " image is truncated: " + warning);
            }
        }
        if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
            throw new ImageException(ImageException.Reason.CORRUPT, "the " + name(format) + " image has no pixels");
        }
        return new Read(image, header);
    }

    private static RgbImage convert(BufferedImage image, ImageFormat format) throws ImageException {
        try {
            return toRgb(image);
        } catch (RuntimeException e) {
            throw corrupt(format, e);
        }
    }

    private static ImageException tooSlow(ImageFormat format, Duration budget) {
        return new ImageException(ImageException.Reason.TOO_COMPLEX, String.format(Locale.ROOT,
                "the %s image takes longer than %.1f s to decode", name(format), budget.toMillis() / 1000.0));
    }

    private ImageFormat checkedFormat(byte[] data) throws ImageException {
        if (data == null || data.length == 0) {
            throw new ImageException(ImageException.Reason.EMPTY, "the image is empty (0 bytes)");
        }
        if (data.length > limits.maxEncodedBytes()) {
            throw Base64Image.tooLarge(data.length, limits);
        }
        var format = ImageFormat.sniff(data);
        if (format.isPresent()) {
            return format.get();
        }
        var unsupported = ImageFormat.recogniseUnsupported(data);
        if (unsupported.isPresent()) {
            throw new ImageException(ImageException.Reason.UNSUPPORTED_FORMAT, "unsupported format " + unsupported.get()
                    + "; send PNG, JPEG, WebP, BMP, GIF or TIFF");
        }
        throw new ImageException(ImageException.Reason.NOT_AN_IMAGE,
                "not an image: the data is not PNG, JPEG, WebP, BMP, GIF or TIFF");
    }

    private ImageHeader header(ImageReader reader, ImageFormat format, byte[] data) throws IOException, ImageException {
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width <= 0 || height <= 0) {
            throw new ImageException(ImageException.Reason.CORRUPT,
                    "the " + name(format) + " image declares a size of " + width + "x" + height);
        }
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels() || width > ImageLimits.MAX_SIDE || height > ImageLimits.MAX_SIDE) {
            throw new ImageException(ImageException.Reason.TOO_MANY_PIXELS, String.format(Locale.ROOT,
                    "image is %dx%d (%.1f MP), the limit is %.0f MP and %d pixels a side", width, height,
                    pixels / 1e6, limits.maxMegapixels(), ImageLimits.MAX_SIDE));
        }
        int orientation = ExifOrientation.read(data, format);
        return ExifOrientation.swapsSides(orientation)
                ? new ImageHeader(format, height, width, orientation)
                : new ImageHeader(format, width, height, orientation);
    }

    private static ImageReader readerFor(ImageFormat format) throws ImageException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.readerName());
        if (!readers.hasNext()) {
            throw new ImageException(ImageException.Reason.UNSUPPORTED_FORMAT,
                    "no decoder for " + name(format) + " is installed");
        }
        return readers.next();
    }

    private static ImageException corrupt(ImageFormat format, Throwable e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (detail.length() > 200) {
            detail = detail.substring(0, 200) + "...";
        }
        return new ImageException(ImageException.Reason.CORRUPT,
                "the " + name(format) + " image is corrupt or truncated (" + detail + ")", e);
    }

    private static String name(ImageFormat format) {
        return format.name();
    }

    /** Converts any decoded image to 8-bit RGB (+ alpha), reading samples as stored. */
    static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        boolean alpha = cm.hasAlpha();
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        byte[] a = alpha ? new byte[w * h] : null;
        ColorSpace cs = cm.getColorSpace();
        boolean component = cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied();
        if (component && !alpha && eightBit(cm) && copyBytes(raster, cs, rgb)) {
            return new RgbImage(w, h, rgb, null);
        }
        if (component && cs.getType() == ColorSpace.TYPE_GRAY && bands >= 1) {
            int bits = cm.getComponentSize(0);
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int v = to8(row[x * bands], bits);
                    int o = 3 * (y * w + x);
                    rgb[o] = rgb[o + 1] = rgb[o + 2] = (byte) v;
                    if (a != null) {
                        a[y * w + x] = (byte) to8(row[x * bands + bands - 1], cm.getComponentSize(bands - 1));
                    }
                }
            }
        } else if (component && cs.isCS_sRGB() && bands >= 3) {
            int bits = cm.getComponentSize(0);
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int o = 3 * (y * w + x);
                    int i = x * bands;
                    rgb[o] = (byte) to8(row[i], bits);
                    rgb[o + 1] = (byte) to8(row[i + 1], bits);
                    rgb[o + 2] = (byte) to8(row[i + 2], bits);
                    if (a != null) {
                        a[y * w + x] = (byte) to8(row[i + bands - 1], cm.getComponentSize(bands - 1));
                    }
                }
            }
        } else {
            // Palettes, packed ints, CMYK and ICC-profiled data: let the colour model convert to sRGB.
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int argb = row[x];
                    int o = 3 * (y * w + x);
                    rgb[o] = (byte) (argb >>> 16);
                    rgb[o + 1] = (byte) (argb >>> 8);
                    rgb[o + 2] = (byte) argb;
                    if (a != null) {
                        a[y * w + x] = (byte) (argb >>> 24);
                    }
                }
            }
        }
        return new RgbImage(w, h, rgb, a);
    }

    /**
     * The common case (8-bit grey or RGB/BGR, one byte per sample in one array, as the JPEG and
     * PNG readers give it) read straight from the raster's bytes: the same samples as the
     * per-row {@code getPixels} path, without widening each to an int. False, having written
     * nothing, for any other layout.
     */
    private static boolean copyBytes(Raster raster, ColorSpace cs, byte[] rgb) {
        boolean grey = cs.getType() == ColorSpace.TYPE_GRAY && raster.getNumBands() == 1;
        boolean colour = cs.isCS_sRGB() && raster.getNumBands() == 3;
        if (!(grey || colour) || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
                || buffer.getNumBanks() != 1 || !(raster.getSampleModel() instanceof ComponentSampleModel model)
                || model.getPixelStride() != raster.getNumBands() || raster.getMinX() != 0 || raster.getMinY() != 0
                || raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0) {
            return false;
        }
        byte[] data = buffer.getData();
        int[] offsets = model.getBandOffsets();
        int w = raster.getWidth();
        int scanline = model.getScanlineStride();
        int base = buffer.getOffset();
        for (int y = 0; y < raster.getHeight(); y++) {
            int at = base + y * scanline;
            int o = 3 * y * w;
            if (grey) {
                for (int x = 0, i = at + offsets[0]; x < w; x++, i++, o += 3) {
                    rgb[o] = rgb[o + 1] = rgb[o + 2] = data[i];
                }
            } else {
                int r = at + offsets[0];
                int g = at + offsets[1];
                int b = at + offsets[2];
                for (int x = 0; x < w; x++, o += 3) {
                    rgb[o] = data[r + 3 * x];
                    rgb[o + 1] = data[g + 3 * x];
                    rgb[o + 2] = data[b + 3 * x];
                }
            }
        }
        return true;
    }

    private static boolean eightBit(ColorModel cm) {
        for (int bits : cm.getComponentSize()) {
            if (bits != 8) {
                return false;
            }
        }
        return true;
    }

    private static int to8(int sample, int bits) {
        if (bits == 8) {
            return sample & 0xff;
        }
        if (bits == 16) {
            return ((sample & 0xffff) * 255 + 32767) / 65535;
        }
        int max = (1 << bits) - 1;
        return Math.min(255, (int) Math.round(sample * 255.0 / max));
    }
}
