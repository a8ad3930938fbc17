package org.chroma402.server.gate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digest a token is bound to: the canonical request, {@code model ‖ SHA-256(image bytes)},
 * hashed. It depends on what is bought, not on how the JSON was written: padding, base64
 * alphabet, a data-URL prefix, key order or unknown fields do not change it.
 */
public final class RequestBinding {
    public static final String CAVEAT = "colorize_request";

    private RequestBinding() {
    }

    /** The digest of a request at the model's own render size. */
    public static String digest(String model, byte[] imageBytes) {
        return digestOfHash(model, null, imageSha256(imageBytes));
    }

    /** The SHA-256 of the image bytes, lower-case hex. */
    public static String imageSha256(byte[] imageBytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(imageBytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The digest from the image's SHA-256, for callers that have it already. A request that chose
     * a render size has it in the digest; without one ({@code null}) the digest is the one of the
     * same request before input sizes existed, so tokens stay valid across versions.
     */
    public static String digestOfHash(String model, Integer inputSize, String imageHash) {
        return digestOfHash(model, inputSize, null, imageHash);
    }

    /**
     * The digest of a request that may also choose a colour strength, in hundredths (120 for 1.2).
     * Null and 100 (the model's own colours) leave it out, so a request that sends
     * {@code "saturation": 1} is the same purchase as one without it, and tokens issued before
     * saturation existed stay valid. Hundredths are written with two decimals ({@code 1.20}), one
     * spelling for each strength whatever the JSON said.
     */
    public static String digestOfHash(String model, Integer inputSize, Integer saturationPercent, String imageHash) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String canonical = "chroma402/colorize/v1\nmodel_size=" + model + "\n"
                    + (inputSize == null ? "" : "input_size=" + inputSize + "\n")
                    + (saturationPercent == null || saturationPercent == 100 ? ""
                            : String.format(java.util.Locale.ROOT, "saturation=%d.%02d\n", saturationPercent / 100, saturationPercent % 100))
                    + "image_sha256=" + imageHash + "\n";
            return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
