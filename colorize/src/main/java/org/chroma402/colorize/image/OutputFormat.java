package org.chroma402.colorize.image;

import java.util.Locale;

/** What a colorized image is written as. PNG keeps alpha; JPEG has none. */
public enum OutputFormat {
    PNG("image/png", "png"),
    JPEG("image/jpeg", "jpg");

    private final String mediaType;
    private final String extension;

    OutputFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    /** From a name, extension or media type such as {@code png}, {@code jpg} or {@code image/jpeg}. */
    public static OutputFormat parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "png", "image/png" -> PNG;
            case "jpg", "jpeg", "image/jpeg", "image/jpg" -> JPEG;
            default -> throw new IllegalArgumentException("unknown output format '" + text + "'; use png or jpeg");
        };
    }
}
