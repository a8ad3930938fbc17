package org.chroma402.colorize.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * What a colorized photo keeps from its input, and the mark that says it was colorized: the
 * input's EXIF (capture date, description, camera, …) without its orientation tag, since the
 * output's pixels are already upright, and without its thumbnail, which shows the grey original;
 * plus an XMP packet naming the software and model and declaring the picture, in IPTC's words, a
 * composite with trained algorithmic media. PNG gets {@code eXIf}, {@code iTXt} (XMP) and
 * {@code tEXt} Software chunks; JPEG gets the two APP1 segments.
 *
 * <p>Reading never fails a colorization: EXIF that is damaged or hostile (offsets out of
 * bounds, loops) is left out, and the output just has the mark.
 */
public record PhotoMetadata(byte[] exif, String software) {
    /** The IPTC digital source type for a photo whose colours a model added. */
    public static final String DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};
    private static final byte[] XMP_HEADER = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.US_ASCII);
    private static final String XMP_KEYWORD = "XML:com.adobe.xmp";
    /** An APP1 segment holds at most 65533 bytes after its length; larger EXIF is dropped. */
    private static final int MAX_EXIF = 65_533 - EXIF_HEADER.length;
    private static final int ORIENTATION = 0x0112;

    public PhotoMetadata {
        exif = exif == null ? null : exif.clone();
    }

    @Override
    public byte[] exif() {
        return exif == null ? null : exif.clone();
    }

    /** The metadata to give the colorization of {@code input}, made by {@code software}. */
    public static PhotoMetadata forColorizationOf(byte[] input, String software) {
        return new PhotoMetadata(readExif(input).flatMap(PhotoMetadata::upright).orElse(null), software);
    }

    /** The metadata a colorized PNG of ours carries, to copy into another rendering of it (a JPEG). */
    public static PhotoMetadata of(byte[] colorizedPng) {
        return new PhotoMetadata(readExif(colorizedPng).orElse(null), pngText(colorizedPng, "Software").orElse(null));
    }

    /** The XMP packet that marks the output. */
    public String xmp() {
        return "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                + " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                + "  <rdf:Description rdf:about=\"\"\n"
                + "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                + "    xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\"\n"
                + "    xmp:CreatorTool=\"" + escape(software == null ? "Chroma402" : software) + "\"\n"
                + "    Iptc4xmpExt:DigitalSourceType=\"" + DIGITAL_SOURCE_TYPE + "\"/>\n"
                + " </rdf:RDF>\n"
                + "</x:xmpmeta>\n"
                + "<?xpacket end=\"r\"?>";
    }

    /** {@code encoded} (as our encoder wrote it) with this metadata in it. */
    public byte[] writeTo(byte[] encoded, OutputFormat format) {
        return format == OutputFormat.PNG ? writePng(encoded) : writeJpeg(encoded);
    }

    private byte[] writePng(byte[] png) {
        if (png.length < 33 || !Arrays.equals(Arrays.copyOf(png, 8), PNG_SIGNATURE)) {
            return png;
        }
        int afterIhdr = 8 + 12 + ByteBuffer.wrap(png, 8, 4).getInt();
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + 4096);
        out.write(png, 0, afterIhdr);
        if (exif != null) {
            chunk(out, "eXIf", exif);
        }
        chunk(out, "iTXt", concat(XMP_KEYWORD.getBytes(StandardCharsets.ISO_8859_1), new byte[] {0, 0, 0, 0, 0},
                xmp().getBytes(StandardCharsets.UTF_8)));
        if (software != null) {
            chunk(out, "tEXt", concat("Software".getBytes(StandardCharsets.ISO_8859_1), new byte[] {0},
                    software.getBytes(StandardCharsets.ISO_8859_1)));
        }
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    private byte[] writeJpeg(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xff || (jpeg[1] & 0xff) != 0xd8) {
            return jpeg;
        }
        int at = 2;
        // After the JFIF APP0, where readers expect APP1.
        if ((jpeg[2] & 0xff) == 0xff && (jpeg[3] & 0xff) == 0xe0 && jpeg.length > 6) {
            at = 4 + ((jpeg[4] & 0xff) << 8 | (jpeg[5] & 0xff));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + 4096);
        out.write(jpeg, 0, at);
        if (exif != null && exif.length <= MAX_EXIF) {
            segment(out, concat(EXIF_HEADER, exif));
        }
        byte[] xmp = concat(XMP_HEADER, xmp().getBytes(StandardCharsets.UTF_8));
        segment(out, xmp);
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }

    /** The TIFF bytes of a JPEG's Exif APP1 or a PNG's eXIf chunk. */
    static Optional<byte[]> readExif(byte[] data) {
        try {
            if (data.length > 8 && Arrays.equals(Arrays.copyOf(data, 8), PNG_SIGNATURE)) {
                return pngChunk(data, "eXIf");
            }
            if (data.length > 4 && (data[0] & 0xff) == 0xff && (data[1] & 0xff) == 0xd8) {
                int i = 2;
                while (i + 4 <= data.length && (data[i] & 0xff) == 0xff) {
                    int marker = data[i + 1] & 0xff;
                    if (marker == 0xda || marker == 0xd9) {
                        break;
                    }
                    int length = (data[i + 2] & 0xff) << 8 | (data[i + 3] & 0xff);
                    if (length < 2 || i + 2 + length > data.length) {
                        break;
                    }
                    if (marker == 0xe1 && length >= 2 + EXIF_HEADER.length
                            && Arrays.equals(Arrays.copyOfRange(data, i + 4, i + 4 + EXIF_HEADER.length), EXIF_HEADER)) {
                        return Optional.of(Arrays.copyOfRange(data, i + 4 + EXIF_HEADER.length, i + 2 + length));
                    }
                    i += 2 + length;
                }
            }
        } catch (RuntimeException e) {
            // Damaged structure: no EXIF.
        }
        return Optional.empty();
    }

    /**
     * The EXIF without its orientation tag (removed from IFD0, later entries moved up) and
     * without the link to IFD1, the thumbnail; empty when the TIFF structure is not sound.
     */
    static Optional<byte[]> upright(byte[] tiff) {
        if (tiff.length < 8 || tiff.length > MAX_EXIF) {
            return Optional.empty();
        }
        byte[] out = tiff.clone();
        ByteBuffer b = ByteBuffer.wrap(out);
        if (out[0] == 'I' && out[1] == 'I') {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else if (!(out[0] == 'M' && out[1] == 'M')) {
            return Optional.empty();
        }
        if ((b.getShort(2) & 0xffff) != 42) {
            return Optional.empty();
        }
        long ifd = b.getInt(4) & 0xffffffffL;
        if (ifd < 8 || ifd + 2 > out.length) {
            return Optional.empty();
        }
        int count = b.getShort((int) ifd) & 0xffff;
        int entries = (int) ifd + 2;
        if (entries + 12L * count + 4 > out.length) {
            return Optional.empty();
        }
        int kept = 0;
        for (int e = 0; e < count; e++) {
            int from = entries + 12 * e;
            if ((b.getShort(from) & 0xffff) == ORIENTATION) {
                continue;
            }
            System.arraycopy(tiff, from, out, entries + 12 * kept, 12);
            kept++;
        }
        b.putShort((int) ifd, (short) kept);
        int next = entries + 12 * kept;
        b.putInt(next, 0);
        // The freed entry slots are unreferenced now; zero them so nothing stale is left.
        Arrays.fill(out, next + 4, entries + 12 * count + 4, (byte) 0);
        return Optional.of(out);
    }

    private static Optional<byte[]> pngChunk(byte[] png, String type) {
        int i = 8;
        while (i + 12 <= png.length) {
            int length = ByteBuffer.wrap(png, i, 4).getInt();
            if (length < 0 || (long) i + 12 + length > png.length) {
                break;
            }
            String t = new String(png, i + 4, 4, StandardCharsets.ISO_8859_1);
            if (t.equals(type)) {
                return Optional.of(Arrays.copyOfRange(png, i + 8, i + 8 + length));
            }
            if (t.equals("IDAT") || t.equals("IEND")) {
                break;
            }
            i += 12 + length;
        }
        return Optional.empty();
    }

    private static Optional<String> pngText(byte[] png, String keyword) {
        try {
            return pngChunk(png, "tEXt").flatMap(data -> {
                String text = new String(data, StandardCharsets.ISO_8859_1);
                return text.startsWith(keyword + "\0") ? Optional.of(text.substring(keyword.length() + 1)) : Optional.empty();
            });
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static void segment(ByteArrayOutputStream out, byte[] payload) {
        out.write(0xff);
        out.write(0xe1);
        int length = payload.length + 2;
        out.write(length >> 8);
        out.write(length & 0xff);
        out.writeBytes(payload);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
