package org.chroma402.lightning.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Reads credentials given either inline (hex or text) or as a file path, as node operators hand them out. */
public final class Secrets {
    private Secrets() {
    }

    /**
     * A binary credential such as an LND macaroon: hex inline, or a path to the binary file
     * (e.g. {@code invoice.macaroon}). Returns lower-case hex.
     */
    public static String hexOrFile(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is not configured");
        }
        String v = value.strip();
        if (v.matches("(?i)[0-9a-f]+") && v.length() % 2 == 0 && v.length() >= 32) {
            return v.toLowerCase(java.util.Locale.ROOT);
        }
        Path file = Path.of(v);
        try {
            return HexFormat.of().formatHex(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is neither hex nor a readable file: " + file);
        }
    }

    /** A PEM certificate inline, or a path to it (e.g. LND's {@code tls.cert}). */
    public static String pemOrFile(String value, String what) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.contains("-----BEGIN CERTIFICATE-----")) {
            return v;
        }
        try {
            return Files.readString(Path.of(v), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is neither a PEM certificate nor a readable file: " + v);
        }
    }
}
