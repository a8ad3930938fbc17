package org.chroma402.colorize.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * An 8-bit RGB or RGBA PNG writer that uses every core: the rows are cut into strips, and each
 * strip's rows are filtered (each row's filter chosen by the smallest sum of absolute differences,
 * as libpng does) and deflated at once with the others, each strip ended with a sync flush so the
 * strips join into one zlib stream any decoder reads (the way pigz compresses), by default each
 * strip Huffman-coded alone where string matching would not pay for its time ({@link
 * Strategy#ADAPTIVE}). The JDK's writer works on one thread; this one exists for the time, and
 * writes the same pixels.
 */
public final class PngWriter {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** Deflate's window: what a strip deflated with string matching is primed with. */
    private static final int WINDOW = 32 * 1024;
    /** A strip smaller than this costs more in lost context and scheduling than it saves. */
    private static final int MIN_STRIP = 256 * 1024;
    private static final int MAX_IDAT = 1 << 20;
    /** The size of each of the three samples {@link Strategy#ADAPTIVE} judges a strip by. */
    private static final int SAMPLE = 8 * 1024;

    /** How the strips are deflated. */
    public enum Strategy {
        /** zlib's string matching at the writer's level, every strip primed with the 32 KiB before it. */
        MATCHING,
        /**
         * Per strip, Huffman coding alone unless string matching codes three 8 KiB samples of
         * the strip at least 2 % smaller. A colorized photo's filtered rows are mostly noise that
         * string matching at the fast levels barely shortens, at about twice the time; grey and
         * near-grey rows (the three channels' differences repeat), flat areas, line art and
         * screenshots are where it pays, up to eight times over.
         */
        ADAPTIVE
    }

    private final int level;
    private final Strategy strategy;
    private final int strips;

    /**
     * @param level deflate level of the string matching, 1 (fastest) to 9
     * @param strategy how strips are deflated
     * @param strips how many strips to filter and deflate at once at most
     */
    public PngWriter(int level, Strategy strategy, int strips) {
        if (level < 1 || level > 9 || strips < 1) {
            throw new IllegalArgumentException("deflate level 1-9 and at least one strip, got " + level + " and " + strips);
        }
        this.level = level;
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.strips = strips;
    }

    /** String matching at {@code level} for every strip. */
    public PngWriter(int level, int strips) {
        this(level, Strategy.MATCHING, strips);
    }

    /** Fast: Huffman coding alone or level-1 matching, whichever suits each strip, on all available cores. */
    public PngWriter() {
        this(1, Strategy.ADAPTIVE, Runtime.getRuntime().availableProcessors());
    }

    public byte[] write(RgbImage image) {
        int w = image.width();
        int h = image.height();
        boolean alpha = image.hasAlpha();
        int channels = alpha ? 4 : 3;
        int stride = w * channels;
        int rowBytes = stride + 1;
        byte[] filtered = new byte[Math.multiplyExact(h, rowBytes)];
        int count = (int) Math.max(1, Math.min(Math.min(strips, h), (long) filtered.length / MIN_STRIP));
        byte[] pixels = alpha ? interleave(image, count > 1) : image.rgb();
        // Strips end on row boundaries, so each one filters its own rows (the rows above them are pixels, there for all).
        int[] firstRow = new int[count + 1];
        for (int i = 0; i <= count; i++) {
            firstRow[i] = (int) ((long) h * i / count);
        }
        byte[][] parts = new byte[count][];
        indices(count, count > 1).forEach(i -> {
            filterRows(pixels, firstRow[i], firstRow[i + 1], stride, channels, filtered, firstRow[i] * rowBytes);
            int from = firstRow[i] * rowBytes;
            int to = firstRow[i + 1] * rowBytes;
            boolean last = i == count - 1;
            if (strategy == Strategy.ADAPTIVE && !matchingPays(filtered, from, to)) {
                parts[i] = deflateStrip(filtered, from, to, last, true, null);
            } else {
                // Matching is primed with the filtered rows before the strip: filtered again here, so no strip waits for another.
                int primed = Math.min(firstRow[i], (WINDOW + rowBytes - 1) / rowBytes);
                byte[] window = new byte[primed * rowBytes];
                filterRows(pixels, firstRow[i] - primed, firstRow[i], stride, channels, window, 0);
                parts[i] = deflateStrip(filtered, from, to, last, false, window);
            }
        });
        byte[] zlib = zlib(parts, filtered);

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

    /** Filters rows {@code [first, end)} of {@code pixels} into {@code out} from {@code at}, each with its filter type byte. */
    private static void filterRows(byte[] pixels, int first, int end, int stride, int channels, byte[] out, int at) {
        byte[] paethRow = new byte[stride];
        byte[] zeros = new byte[stride];
        for (int y = first; y < end; y++, at += stride + 1) {
            // Above the first row PNG sees zeros.
            byte[] above = y > 0 ? pixels : zeros;
            filter(pixels, y * stride, above, y > 0 ? (y - 1) * stride : 0, stride, channels, paethRow, out, at);
        }
    }

    /** 0 to {@code n - 1}, on the common fork-join pool when {@code parallel}. */
    private static IntStream indices(int n, boolean parallel) {
        IntStream indices = IntStream.range(0, n);
        return parallel ? indices.parallel() : indices;
    }

    /** The RGBA bytes PNG stores, from the image's RGB and alpha planes. */
    private static byte[] interleave(RgbImage image, boolean parallel) {
        int w = image.width();
        byte[] rgb = image.rgb();
        byte[] a = image.alpha();
        byte[] rgba = new byte[Math.multiplyExact(rgb.length / 3, 4)];
        indices(image.height(), parallel).forEach(y -> {
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

    /** Whether string matching codes samples of {@code data[from, to)} at least 2 % smaller than Huffman coding alone. */
    boolean matchingPays(byte[] data, int from, int to) {
        int length = to - from;
        long huffman = 0;
        long matching = 0;
        byte[] scratch = new byte[SAMPLE + SAMPLE / 8 + 64];
        for (double at : length <= 3 * SAMPLE ? new double[] {0} : new double[] {0.2, 0.5, 0.8}) {
            int start = from + (int) (length * at);
            int n = Math.min(SAMPLE, to - start);
            huffman += deflatedSize(data, start, n, true, scratch);
            matching += deflatedSize(data, start, n, false, scratch);
        }
        return matching < huffman * 0.98;
    }

    private int deflatedSize(byte[] data, int from, int length, boolean huffmanOnly, byte[] scratch) {
        Deflater deflater = rawDeflater(huffmanOnly);
        try {
            deflater.setInput(data, from, length);
            deflater.finish();
            int size = 0;
            while (!deflater.finished()) {
                size += deflater.deflate(scratch);
            }
            return size;
        } finally {
            deflater.end();
        }
    }

    /** A deflater for raw deflate (the zlib header and check are written once, for all strips). */
    private Deflater rawDeflater(boolean huffmanOnly) {
        Deflater deflater = new Deflater(level, true);
        if (huffmanOnly) {
            deflater.setStrategy(Deflater.HUFFMAN_ONLY);
        }
        return deflater;
    }

    /** One zlib stream: header, the strips' raw deflate joined, Adler-32 of everything. */
    private static byte[] zlib(byte[][] parts, byte[] data) {
        Adler32 adler = new Adler32();
        adler.update(data);
        int length = 6;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        // CMF 0x78: deflate, 32 KiB window; FLG 0x01: fastest compression, no dictionary, check bits.
        out.write(0x78);
        out.write(0x01);
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        long check = adler.getValue();
        out.write((int) (check >>> 24));
        out.write((int) (check >>> 16));
        out.write((int) (check >>> 8));
        out.write((int) check);
        return out.toByteArray();
    }

    /** Raw deflate of {@code data[from, to)}, matching primed with the end of {@code window} (the bytes before it, if any). */
    private byte[] deflateStrip(byte[] data, int from, int to, boolean last, boolean huffmanOnly, byte[] window) {
        Deflater deflater = rawDeflater(huffmanOnly);
        try {
            if (!huffmanOnly && window.length > 0) {
                int start = Math.max(0, window.length - WINDOW);
                deflater.setDictionary(window, start, window.length - start);
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
