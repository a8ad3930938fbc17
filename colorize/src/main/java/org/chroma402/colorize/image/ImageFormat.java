package org.chroma402.colorize.image;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The formats Chroma402 reads, recognised by their signature bytes rather than a name. */
public enum ImageFormat {
    PNG("png", "image/png"),
    JPEG("jpeg", "image/jpeg"),
    WEBP("webp", "image/webp"),
    BMP("bmp", "image/bmp"),
    GIF("gif", "image/gif"),
    TIFF("tiff", "image/tiff");

    private final String readerName;
    private final String mediaType;

    ImageFormat(String readerName, String mediaType) {
        this.readerName = readerName;
        this.mediaType = mediaType;
    }

    String readerName() {
        return readerName;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The format whose signature starts {@code data}, if it is one we read. */
    public static Optional<ImageFormat> sniff(byte[] data) {
        if (startsWith(data, 0, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
            return Optional.of(PNG);
        }
        if (startsWith(data, 0, 0xff, 0xd8, 0xff)) {
            return Optional.of(JPEG);
        }
        if (startsWith(data, 0, 'R', 'I', 'F', 'F') && startsWith(data, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        if (startsWith(data, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(data, 0, 'G', 'I', 'F', '8', '9', 'a')) {
            return Optional.of(GIF);
        }
        if (startsWith(data, 0, 'I', 'I', 42, 0) || startsWith(data, 0, 'M', 'M', 0, 42)) {
            return Optional.of(TIFF);
        }
        if (startsWith(data, 0, 'B', 'M') && data.length >= 26) {
            return Optional.of(BMP);
        }
        return Optional.empty();
    }

    /** Names formats we recognise but do not read, so the error can say what the file is. */
    static Optional<String> recogniseUnsupported(byte[] data) {
        if (startsWith(data, 4, 'f', 't', 'y', 'p') && data.length >= 12) {
            String brand = new String(data, 8, 4, StandardCharsets.US_ASCII);
            if (brand.startsWith("hei") || brand.startsWith("hev") || brand.equals("mif1") || brand.equals("msf1")) {
                return Optional.of("HEIC/HEIF");
            }
            if (brand.startsWith("avi")) {
                return Optional.of("AVIF");
            }
            return Optional.of("ISO media (" + brand.strip() + ")");
        }
        if (startsWith(data, 0, '%', 'P', 'D', 'F')) {
            return Optional.of("PDF");
        }
        if (startsWith(data, 0, '8', 'B', 'P', 'S')) {
            return Optional.of("Photoshop PSD");
        }
        if (startsWith(data, 0, 0x00, 0x00, 0x00, 0x0c, 'j', 'P', ' ', ' ') || startsWith(data, 0, 0xff, 0x4f, 0xff, 0x51)) {
            return Optional.of("JPEG 2000");
        }
        if (startsWith(data, 0, 0xff, 0x0a) || startsWith(data, 0, 0x00, 0x00, 0x00, 0x0c, 'J', 'X', 'L', ' ')) {
            return Optional.of("JPEG XL");
        }
        if (startsWith(data, 0, 0x00, 0x00, 0x01, 0x00)) {
            return Optional.of("ICO");
        }
        String head = new String(data, 0, Math.min(data.length, 256), StandardCharsets.ISO_8859_1).stripLeading();
        if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.contains("<svg"))) {
            return Optional.of("SVG");
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] data, int offset, int... signature) {
        if (data.length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((data[offset + i] & 0xff) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
