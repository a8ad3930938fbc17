package org.chroma402.colorize.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyTorch and safetensors checkpoints written by torch itself ({@code src/test/python/make_checkpoint_fixtures.py}),
 * and hostile ones: each refused with a message that names what is wrong, nothing run.
 */
class CheckpointReaderTest {
    private static final Path MARKER = Path.of("/tmp/chroma402-pwned-marker");

    @TempDir
    Path dir;

    private static Checkpoint open(String fixture) throws Exception {
        return Checkpoint.open(TestResources.path("checkpoints/" + fixture), CheckpointLimits.DEFAULT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"small-params.pth", "small-state.bin"})
    void readsTorchSaveFilesWithOrWithoutParams(String fixture) throws Exception {
        try (Checkpoint c = open(fixture)) {
            assertThat(c.tensors().keySet()).containsExactly("conv.weight", "half", "bf16", "double", "steps", "view", "param");
            assertThat(c.tensors().get("conv.weight").shape()).containsExactly(2, 3);
            assertThat(c.tensors().get("steps").shape()).isEmpty();
            assertThat(c.tensors().get("steps").dtype()).isEqualTo(DType.I64);
            assertThat(c.readFloats("conv.weight")).containsExactly(1.5f, -2.0f, 3.25f, 0.0f, 4.0f, -0.5f);
            assertThat(c.readFloats("half")).containsExactly(1.0f, -0.5f, 65504.0f, 5.9604645e-8f);
            assertThat(c.readFloats("bf16")).containsExactly(1.0f, -3.0f);
            assertThat(c.readFloats("double")).containsExactly(0.125f);
            // A view into a larger storage (base[2:6]) reads from its offset.
            assertThat(c.readFloats("view")).containsExactly(2f, 3f, 4f, 5f);
            assertThat(c.readFloats("param")).containsExactly(9f, 8f);
            assertThatThrownBy(() -> c.readFloats("steps")).hasMessageContaining("steps holds I64");
        }
    }

    @Test
    void readsSafetensors() throws Exception {
        try (Checkpoint c = open("small.safetensors")) {
            assertThat(c.format()).isEqualTo("safetensors");
            assertThat(c.tensors().keySet()).containsExactly("conv.weight", "double", "view", "param");
            assertThat(c.readFloats("conv.weight")).containsExactly(1.5f, -2.0f, 3.25f, 0.0f, 4.0f, -0.5f);
            assertThat(c.readFloats("double")).containsExactly(0.125f);
            assertThat(c.readFloats("view")).containsExactly(2f, 3f, 4f, 5f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil-os-system.pth", "evil-eval.pth"})
    void refusesPicklesThatNameCodeAndRunsNothing(String fixture) throws Exception {
        Files.deleteIfExists(MARKER);
        assertThatThrownBy(() -> open(fixture)).isInstanceOf(CheckpointException.class)
                .hasMessageMatching("(?s).*the checkpoint names the global (posix\\.system|__builtin__\\.eval).*refused without running it.*");
        assertThat(MARKER).doesNotExist();
    }

    @Test
    void refusesClassesOfTheSavingProgram() {
        assertThatThrownBy(() -> open("unknown-class.pth")).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("__main__.Config");
    }

    @Test
    void refusesAStorageShorterThanItsTensor() {
        assertThatThrownBy(() -> open("short-storage.pth")).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("storage of tensor w has 16 bytes, shorter than the 32");
    }

    @Test
    void refusesATruncatedFile() {
        assertThatThrownBy(() -> open("truncated.pth")).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("damaged or truncated zip");
    }

    @Test
    void refusesAZipBombWithoutInflatingIt() {
        assertThatThrownBy(() -> Checkpoint.open(TestResources.path("checkpoints/zip-bomb.pth"),
                new CheckpointLimits(1L << 30, 1 << 20, 1000)))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("data.pkl is larger than 1048576 bytes");
    }

    @Test
    void refusesFilesThatAreNoCheckpoint() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.bin"), "hello, this is not a checkpoint");
        assertThatThrownBy(() -> Checkpoint.open(text, CheckpointLimits.DEFAULT)).hasMessageContaining("neither a PyTorch checkpoint");
        Path legacy = Files.write(dir.resolve("legacy.pth"), new byte[] {(byte) 0x80, 2, 'K', 1, '.', 0, 0, 0, 0});
        assertThatThrownBy(() -> Checkpoint.open(legacy, CheckpointLimits.DEFAULT)).hasMessageContaining("PyTorch's format before 1.6");
        Path big = Files.write(dir.resolve("big.pth"), new byte[4096]);
        assertThatThrownBy(() -> Checkpoint.open(big, new CheckpointLimits(1000, 100, 10))).hasMessageContaining("more than the 1000");
    }

    @Test
    void refusesSafetensorsWhoseHeaderLies() throws Exception {
        assertThatThrownBy(() -> open(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}", 16)))
                .hasMessageContaining("tensor w [4] of F32 needs 16 bytes but has 8");
        assertThatThrownBy(() -> open(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8)))
                .hasMessageContaining("do not lie within the file's 8 data bytes");
        assertThatThrownBy(() -> open(safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12))).hasMessageContaining("overlap");
        assertThatThrownBy(() -> open(safetensors("{\"w\":{\"dtype\":\"Q8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1)))
                .hasMessageContaining("unknown tensor dtype 'Q8'");
        assertThatThrownBy(() -> open(safetensors("{\"w\":5}", 0))).hasMessageContaining("needs dtype, shape and data_offsets");
        assertThatThrownBy(() -> open(safetensors("{\"w\":", 0))).hasMessageContaining("header is not JSON");
        assertThatThrownBy(() -> open(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0)))
                .hasMessageContaining("do not lie within");
        ByteBuffer hugeHeader = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).put("{       ".getBytes());
        Path huge = Files.write(dir.resolve("huge.safetensors"), hugeHeader.array());
        assertThatThrownBy(() -> Checkpoint.open(huge, CheckpointLimits.DEFAULT)).hasMessageContaining("header length");
    }

    private Checkpoint open(Path file) throws Exception {
        return Checkpoint.open(file, CheckpointLimits.DEFAULT);
    }

    private Path safetensors(String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return Files.write(Files.createTempFile(dir, "t", ".safetensors"), b.array());
    }

    /**
     * A storage of 2^62 floats and a tensor at offset 2^61: in wrapping arithmetic the storage's
     * byte size is 0 and the checks pass, so the tensor would be read from the wrong place.
     */
    @Test
    void refusesSizesAndOffsetsThatOverflow() throws Exception {
        java.io.ByteArrayOutputStream pickle = new java.io.ByteArrayOutputStream();
        pickle.write(new byte[] {(byte) 0x80, 2, '}'});
        unicode(pickle, "w");
        pickle.write("ctorch._utils\n_rebuild_tensor_v2\n((".getBytes(StandardCharsets.ISO_8859_1));
        unicode(pickle, "storage");
        pickle.write("ctorch\nFloatStorage\n".getBytes(StandardCharsets.ISO_8859_1));
        unicode(pickle, "0");
        unicode(pickle, "cpu");
        long1(pickle, 1L << 62);
        pickle.write(new byte[] {'t', 'Q'});
        long1(pickle, 1L << 61);
        pickle.write(new byte[] {'K', 2, (byte) 0x85, 'K', 1, (byte) 0x85, (byte) 0x89});
        pickle.write("ccollections\nOrderedDict\n)R".getBytes(StandardCharsets.ISO_8859_1));
        pickle.write(new byte[] {'t', 'R', 's', '.'});
        Path file = dir.resolve("overflow.pth");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("archive/data.pkl"));
            zip.write(pickle.toByteArray());
            zip.putNextEntry(new java.util.zip.ZipEntry("archive/data/0"));
            zip.write(new byte[64]);
            zip.putNextEntry(new java.util.zip.ZipEntry("archive/version"));
            zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThatThrownBy(() -> Checkpoint.open(file, CheckpointLimits.DEFAULT)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("too large");
    }

    private static void unicode(java.io.ByteArrayOutputStream out, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
        out.writeBytes(utf8);
    }

    private static void long1(java.io.ByteArrayOutputStream out, long value) {
        out.write(0x8a);
        out.write(8);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }
}
