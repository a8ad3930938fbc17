package org.chroma402.colorize.model;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a named model comes from and where it lives. Two kinds:
 * <ul>
 *   <li>an official checkpoint ({@code architecture} set): {@code url} is the authors' PyTorch or
 *       safetensors file, {@code sha256} its digest; {@code models pull} converts it into the
 *       folder {@code <models dir>/<name>/} ({@link CheckpointInstaller});</li>
 *   <li>a ready ONNX file ({@code architecture} null): {@code fileName} in the models directory,
 *       downloaded from {@code url} as it is.</li>
 * </ul>
 * A checkpoint model still uses {@code fileName} when that ONNX file is present and no
 * checkpoint was installed, so servers set up before checkpoints were supported keep working.
 * The digest is absent when no trustworthy one is published; {@code models pull} then prints
 * the digest it saw so it can be pinned.
 */
public record ModelSpec(String name, String fileName, URI url, String sha256, String description,
        DdcolorArchitecture architecture) {

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

    /** A ready ONNX model file. */
    public ModelSpec(String name, String fileName, URI url, String sha256, String description) {
        this(name, fileName, url, sha256, description, null);
    }

    /** A model made from an official checkpoint; {@code onnxFileName} is the ONNX file used if one is present instead. */
    public static ModelSpec checkpoint(String name, DdcolorArchitecture architecture, URI url, String sha256, String description,
            String onnxFileName) {
        return new ModelSpec(name, onnxFileName, url, sha256, description, Objects.requireNonNull(architecture, "architecture"));
    }

    public boolean isCheckpoint() {
        return architecture != null;
    }

    /** The file name a download of {@link #url()} is kept under while it runs. */
    public String downloadName() {
        if (url == null) {
            return fileName;
        }
        String path = url.getPath();
        String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return last.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,120}") ? name + "-" + last : name + ".download";
    }

    public ModelSpec withUrl(URI newUrl) {
        return new ModelSpec(name, fileName, newUrl, sha256, description, architecture);
    }

    /** Another source: a URL of an {@code .onnx} file makes this a ready ONNX model, any other keeps the kind. */
    public ModelSpec withSource(URI newUrl) {
        boolean onnx = newUrl.getPath() != null && newUrl.getPath().endsWith(".onnx");
        return new ModelSpec(name, fileName, newUrl, null, description, onnx ? null : architecture);
    }

    public ModelSpec withSha256(String digest) {
        return new ModelSpec(name, fileName, url, digest, description, architecture);
    }

    public ModelSpec withArchitecture(DdcolorArchitecture newArchitecture) {
        return new ModelSpec(name, fileName, url, sha256, description, newArchitecture);
    }
}
