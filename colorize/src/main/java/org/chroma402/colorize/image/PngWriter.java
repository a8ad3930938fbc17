package org.chroma402.colorize.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * An 8-bit RGB or RGBA PNG writer that uses every core: rows are filtered in parallel (each
 * row's filter chosen by the smallest sum of absolute differences, as libpng does), and the
 * filtered bytes are deflated in strips at once, each strip primed with the 32 KiB before it and
 * ended with a sync flush, so the strips join into one zlib stream any decoder reads (the way
 * pigz compresses). The JDK's writer does the same work on one thread; this one exists for the
 * time, and writes the same pixels.
 */
public final class PngWriter {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** Deflate's window: what each strip is primed with. */
    private static final int WINDOW = 32 * 1024;
    /** A strip smaller than this costs more in lost context and scheduling than it saves. */
    private static final int MIN_STRIP = 256 * 1024;
    private static final int MAX_IDAT = 1 << 20;

    private final int level;
    private final int strips;

    /**
     * @param level deflate level, 1 (fastest) to 9
     * @param strips how many strips to deflate at once at most (rows are filtered on the common
     *     fork-join pool either way)
     */
    public PngWriter(int level, int strips) {
        if (level < 1 || level > 9 || strips < 1) {
            throw new IllegalArgumentException("deflate level 1-9 and at least one strip, got " + level + " and " + strips);
        }
        this.level = level;
        this.strips = strips;
    }

    /** Fast deflate on all available cores. */
    public PngWriter() {
        this(1, Runtime.getRuntime().availableProcessors());
    }

    public byte[] write(RgbImage image) {
        int w = image.width();
        int h = image.height();
        boolean alpha = image.hasAlpha();
        int channels = alpha ? 4 : 3;
        int stride = w * channels;
        byte[] filtered = new byte[Math.multiplyExact(h, stride + 1)];
        boolean parallel = (long) h * stride >= MIN_STRIP;
        byte[] pixels = alpha ? interleave(image, parallel) : image.rgb();
        IntStream rows = IntStream.range(0, h);
        if (parallel) {
            rows = rows.parallel();
        }
        rows.forEach(y -> {
            // Above the first row PNG sees zeros.
            byte[] above = y > 0 ? pixels : new byte[stride];
            filter(pixels, y * stride, above, y > 0 ? (y - 1) * stride : 0, stride, channels, new byte[stride],
                    filtered, y * (stride + 1));
        });
        byte[] zlib = deflate(filtered);

        ByteArrayOutputStream out = new ByteArrayOutputStream(zlib.length + 1024);
        out.writeBytes(SIGNATURE);
        byte[] header = new byte[13];
        putInt(header, 0, w);
        putInt(header, 4, h);
        header[8] = 8;
        header[9] = (byte) (alpha ? 6 : 2);
        chunk(out, "IHDR", header, 0, header.length);
        for (int at = 0; at < zlib.length; at += MAX_IDAT) {
            chunk(out, "IDAT", zlib, at, Math.min(MAX_IDAT, zlib.length - at));
        }
        chunk(out, "IEND", new byte[0], 0, 0);
        return out.toByteArray();
    }

    /** The RGBA bytes PNG stores, from the image's RGB and alpha planes. */
    private static byte[] interleave(RgbImage image, boolean parallel) {
        int w = image.width();
        byte[] rgb = image.rgb();
        byte[] a = image.alpha();
        byte[] rgba = new byte[Math.multiplyExact(rgb.length / 3, 4)];
        IntStream rows = IntStream.range(0, image.height());
        if (parallel) {
            rows = rows.parallel();
        }
        rows.forEach(y -> {
            for (int x = 0, p = y * w; x < w; x++, p++) {
                rgba[4 * p] = rgb[3 * p];
                rgba[4 * p + 1] = rgb[3 * p + 1];
                rgba[4 * p + 2] = rgb[3 * p + 2];
                rgba[4 * p + 3] = a[p];
            }
        });
        return rgba;
    }

    /**
     * Writes the filter type byte and the filtered row at {@code at}: the one of the five filters
     * whose output sums smallest. The row is {@code n} bytes of {@code pixels} from {@code line},
     * the row above it {@code n} bytes of {@code above} from {@code previous}.
     */
    private static void filter(byte[] pixels, int line, byte[] above, int previous, int n, int bpp, byte[] paethRow,
            byte[] out, int at) {
        long none = 0;
        long sub = 0;
        long up = 0;
        long average = 0;
        long paeth = 0;
        // The first pixel has no left neighbour (a = c = 0); the rest of the row needs no test for it.
        for (int i = 0; i < Math.min(bpp, n); i++) {
            int x = pixels[line + i] & 0xff;
            int b = above[previous + i] & 0xff;
            none += Math.abs((byte) x);
            sub += Math.abs((byte) x);
            up += Math.abs((byte) (x - b));
            average += Math.abs((byte) (x - (b >>> 1)));
            paethRow[i] = (byte) (x - b);
            paeth += Math.abs(paethRow[i]);
        }
        for (int i = bpp; i < n; i++) {
            int x = pixels[line + i] & 0xff;
            int a = pixels[line + i - bpp] & 0xff;
            int b = above[previous + i] & 0xff;
            int c = above[previous + i - bpp] & 0xff;
            none += Math.abs((byte) x);
            sub += Math.abs((byte) (x - a));
            up += Math.abs((byte) (x - b));
            average += Math.abs((byte) (x - ((a + b) >>> 1)));
            // Paeth is the costly prediction and the one photos choose most: its row is kept for the write.
            paethRow[i] = (byte) (x - paeth(a, b, c));
            paeth += Math.abs(paethRow[i]);
        }
        long[] sums = {none, sub, up, average, paeth};
        int type = 0;
        for (int t = 1; t < 5; t++) {
            if (sums[t] < sums[type]) {
                type = t;
            }
        }
        out[at] = (byte) type;
        int o = at + 1;
        switch (type) {
            case 0 -> System.arraycopy(pixels, line, out, o, n);
            case 1 -> {
                System.arraycopy(pixels, line, out, o, Math.min(bpp, n));
                for (int i = bpp; i < n; i++) {
                    out[o + i] = (byte) (pixels[line + i] - pixels[line + i - bpp]);
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    out[o + i] = (byte) (pixels[line + i] - above[previous + i]);
                }
            }
            case 3 -> {
                for (int i = 0; i < n; i++) {
                    int a = i >= bpp ? pixels[line + i - bpp] & 0xff : 0;
                    out[o + i] = (byte) ((pixels[line + i] & 0xff) - ((a + (above[previous + i] & 0xff)) >>> 1));
                }
            }
            default -> System.arraycopy(paethRow, 0, out, o, n);
        }
    }

    /**
     * The Paeth predictor without branches: which neighbour wins depends on the photo's noise, so
     * a branch would be mispredicted about as often as not (the selects below cost the same every time).
     */
    static int paeth(int a, int b, int c) {
        int pa = Math.abs(b - c);
        int pb = Math.abs(a - c);
        int pc = Math.abs(a + b - 2 * c);
        // All -1 where c is nearer than b (a tie goes to b), then where that one is nearer than a (a tie goes to a).
        int takeC = (pc - pb) >> 31;
        int bOrC = b ^ ((b ^ c) & takeC);
        int nearest = pb ^ ((pb ^ pc) & takeC);
        int notA = (nearest - pa) >> 31;
        return a ^ ((a ^ bOrC) & notA);
    }

    /** One zlib stream: header, the strips' raw deflate joined, Adler-32 of everything. */
    private byte[] deflate(byte[] data) {
        int count = (int) Math.max(1, Math.min(strips, data.length / MIN_STRIP));
        int size = (data.length + count - 1) / count;
        List<byte[]> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            parts.add(null);
        }
        IntStream indices = IntStream.range(0, count);
        if (count > 1) {
            indices = indices.parallel();
        }
        indices.forEach(i -> {
            int from = i * size;
            int to = Math.min(data.length, from + size);
            parts.set(i, deflateStrip(data, from, to, i == count - 1));
        });
        Adler32 adler = new Adler32();
        adler.update(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2);
        // CMF 0x78: deflate, 32 KiB window; FLG 0x01: fastest compression, no dictionary, check bits.
        out.write(0x78);
        out.write(0x01);
        parts.forEach(out::writeBytes);
        long check = adler.getValue();
        out.write((int) (check >>> 24));
        out.write((int) (check >>> 16));
        out.write((int) (check >>> 8));
        out.write((int) check);
        return out.toByteArray();
    }

    private byte[] deflateStrip(byte[] data, int from, int to, boolean last) {
        Deflater deflater = new Deflater(level, true);
        try {
            if (from > 0) {
                int start = Math.max(0, from - WINDOW);
                deflater.setDictionary(data, start, from - start);
            }
            deflater.setInput(data, from, to - from);
            if (last) {
                deflater.finish();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((to - from) / 2 + 64);
            byte[] buffer = new byte[64 * 1024];
            int mode = last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH;
            while (true) {
                int n = deflater.deflate(buffer, 0, buffer.length, mode);
                out.write(buffer, 0, n);
                if (last ? deflater.finished() : n < buffer.length && deflater.needsInput()) {
                    return out.toByteArray();
                }
            }
        } finally {
            deflater.end();
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int from, int length) {
        byte[] head = new byte[8];
        putInt(head, 0, length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, head, 4, 4);
        out.write(head, 0, 8);
        out.write(data, from, length);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data, from, length);
        byte[] tail = new byte[4];
        putInt(tail, 0, (int) crc.getValue());
        out.write(tail, 0, 4);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
