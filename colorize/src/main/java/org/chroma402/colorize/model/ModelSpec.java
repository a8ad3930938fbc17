package org.chroma402.colorize.model;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a named model's ONNX file lives: its file name in the models directory, the URL to
 * download it from (may be absent), and the SHA-256 it must have (absent when no trustworthy
 * digest is published; {@code models pull} then prints the digest it saw so it can be pinned).
 */
public record ModelSpec(String name, String fileName, URI url, String sha256, String description) {

    public ModelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fileName, "fileName");
        if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("model name must be lower-case letters, digits, - and _: " + name);
        }
        if (fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("model file name must be a plain file name: " + fileName);
        }
        if (sha256 != null) {
            sha256 = sha256.strip().toLowerCase(Locale.ROOT);
            if (!sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("sha256 of model " + name + " must be 64 hex characters");
            }
        }
        if (url != null && !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
            throw new IllegalArgumentException("model URL must be http or https: " + url);
        }
        description = description == null ? "" : description;
    }

    public ModelSpec withUrl(URI newUrl) {
        return new ModelSpec(name, fileName, newUrl, sha256, description);
    }

    public ModelSpec withSha256(String digest) {
        return new ModelSpec(name, fileName, url, digest, description);
    }
}
