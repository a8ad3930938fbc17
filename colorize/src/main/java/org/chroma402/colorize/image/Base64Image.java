package org.chroma402.colorize.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Turns the {@code image} field of a request into bytes: standard or URL-safe base64, padded or
 * not, with line breaks, and an optional {@code data:image/...;base64,} prefix. The size limit
 * is checked from the text's length before anything is decoded.
 */
public final class Base64Image {
    private static final Pattern DATA_URL = Pattern.compile("^data:[^,;]*(;[^,;]*)*;base64,", Pattern.CASE_INSENSITIVE);

    /** The characters of standard base64 that pass as they are. */
    private static final boolean[] STANDARD = new boolean[256];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            STANDARD[c] = true;
            STANDARD[c + ('a' - 'A')] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            STANDARD[c] = true;
        }
        STANDARD['+'] = true;
        STANDARD['/'] = true;
    }

    private Base64Image() {
    }

    public static byte[] decode(String text, ImageLimits limits) throws ImageException {
        if (text == null || text.isBlank()) {
            throw new ImageException(ImageException.Reason.EMPTY, "the image field is empty");
        }
        String body = text.strip();
        var dataUrl = DATA_URL.matcher(body);
        if (dataUrl.lookingAt()) {
            body = body.substring(dataUrl.end());
        } else if (body.regionMatches(true, 0, "data:", 0, 5)) {
            throw new ImageException(ImageException.Reason.BAD_BASE64,
                    "the image is a data URL but not a base64 one; send 'data:image/...;base64,<data>' or plain base64");
        }
        long estimated = (long) body.length() * 3 / 4;
        if (estimated > limits.maxEncodedBytes() + 3 + body.length() / 40) {
            throw tooLarge(estimated, limits);
        }
        // One byte per character (ISO-8859-1 maps each char below 256 to itself; others become '?',
        // which is refused below with the original character named), compacted in place.
        byte[] raw = body.getBytes(StandardCharsets.ISO_8859_1);
        int n = 0;
        for (int i = 0; i < raw.length; i++) {
            int c = raw[i] & 0xff;
            if (STANDARD[c]) {
                raw[n++] = (byte) c;
            } else if (c == '-') {
                raw[n++] = '+';
            } else if (c == '_') {
                raw[n++] = '/';
            } else if (c == '=') {
                // Padding may only end the text; anything after it is an error.
                for (int j = i; j < body.length(); j++) {
                    char rest = body.charAt(j);
                    if (rest != '=' && !Character.isWhitespace(rest)) {
                        throw new ImageException(ImageException.Reason.BAD_BASE64,
                                "the image is not valid base64: '=' padding in the middle at position " + i);
                    }
                }
                break;
            } else if (!Character.isWhitespace(body.charAt(i))) {
                throw new ImageException(ImageException.Reason.BAD_BASE64,
                        "the image is not valid base64: unexpected character '" + printable(body.charAt(i)) + "' at position " + i);
            }
        }
        if (n % 4 == 1) {
            throw new ImageException(ImageException.Reason.BAD_BASE64, "the image is not valid base64: truncated data");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(n == raw.length ? raw : Arrays.copyOf(raw, n));
        } catch (IllegalArgumentException e) {
            throw new ImageException(ImageException.Reason.BAD_BASE64, "the image is not valid base64", e);
        }
        if (bytes.length == 0) {
            throw new ImageException(ImageException.Reason.EMPTY, "the image field decodes to no bytes");
        }
        if (bytes.length > limits.maxEncodedBytes()) {
            throw tooLarge(bytes.length, limits);
        }
        return bytes;
    }

    static ImageException tooLarge(long bytes, ImageLimits limits) {
        return new ImageException(ImageException.Reason.TOO_LARGE,
                "the image is " + size(bytes) + ", the limit is " + size(limits.maxEncodedBytes()));
    }

    /** Bytes as a person reads them: 512 bytes, 7.3 KiB, 20.0 MiB. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String printable(char c) {
        return c < 32 || c > 126 ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
