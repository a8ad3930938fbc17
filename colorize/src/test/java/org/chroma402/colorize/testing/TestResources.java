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

    /** A resource as a file on disk (test resources are unpacked on the classpath). */
    public static Path path(String resource) {
        try {
            var url = TestResources.class.getResource("/" + resource);
            if (url == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            if (!"file".equals(url.getProtocol())) {
                throw new IllegalStateException("test resource " + resource + " is not a file: " + url);
            }
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 64x64 fixed-size test model, DDColor's inputs and outputs. */
    public static Path tinyModel() {
        return path("models/tiny-test.onnx");
    }

    public static Path tinyDynamicModel() {
        return path("models/tiny-test-dynamic.onnx");
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
