package org.chroma402.colorize.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The colorize module's generated test models and fixtures, as files or raw arrays. */
public final class TestResources {

    private TestResources() {
    }

    private static final java.util.Map<String, Path> EXTRACTED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A resource as a file on disk: the file itself when the resources are a directory, or a
     * temporary copy when another module reads them from this module's test jar.
     */
    public static Path path(String resource) {
        var url = TestResources.class.getResource("/" + resource);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + resource);
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return Paths.get(url.toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return EXTRACTED.computeIfAbsent(resource, r -> {
            try {
                String name = r.substring(r.lastIndexOf('/') + 1);
                Path file = java.nio.file.Files.createTempDirectory("chroma402-test").resolve(name);
                java.nio.file.Files.write(file, bytes(r));
                file.toFile().deleteOnExit();
                file.getParent().toFile().deleteOnExit();
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The 64x64 fixed-size test model, DDColor's inputs and outputs. */
    public static Path tinyModel() {
        return path("models/tiny-test.onnx");
    }

    /**
     * DDColor's inputs and outputs at 256x256, about a second per run on a small machine: for
     * tests that must catch a job while it runs ({@code make_slow_model.py}).
     */
    public static Path slowModel() {
        return path("models/slow-test.onnx");
    }

    public static Path tinyDynamicModel() {
        return path("models/tiny-test-dynamic.onnx");
    }

    /** Batch, height and width all dynamic, as the official graphs: renders at any input size ({@code make_any_size_model.py}). */
    public static Path anySizeModel() {
        return path("models/tiny-test-any-size.onnx");
    }

    public static byte[] bytes(String resource) {
        try (InputStream in = TestResources.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static float[] floats(String resource) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes(resource)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[buffer.remaining() / 4];
        buffer.asFloatBuffer().get(out);
        return out;
    }

    public static short[] shorts(String resource) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes(resource)).order(ByteOrder.LITTLE_ENDIAN);
        short[] out = new short[buffer.remaining() / 2];
        buffer.asShortBuffer().get(out);
        return out;
    }
}
