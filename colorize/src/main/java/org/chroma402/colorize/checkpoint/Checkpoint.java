package org.chroma402.colorize.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A file of named weight tensors, read without running anything it contains: PyTorch's
 * {@code torch.save} zip format (through {@link RestrictedUnpickler}) or safetensors. Tensors are
 * listed from the file's header; their data is read one tensor at a time, so a checkpoint of
 * any size is converted in little memory.
 *
 * <p>The state dict is found as the official {@code load_checkpoint_state_dict} finds it: the
 * file's top-level dictionary, or its {@code "params"} entry when it has one.
 */
public interface Checkpoint extends AutoCloseable {

    /** The tensors by state-dict key, in the file's order. */
    Map<String, TensorEntry> tensors();

    /**
     * Writes one floating-point tensor's elements as little-endian float32 into {@code out},
     * which must have room for all of them.
     */
    void readFloat32(String key, ByteBuffer out) throws IOException, CheckpointException;

    /** What the file is, for messages: "PyTorch zip checkpoint", "safetensors". */
    String format();

    @Override
    void close() throws IOException;

    /** Opens a checkpoint, telling the format from the file's first bytes. */
    static Checkpoint open(Path file, CheckpointLimits limits) throws IOException, CheckpointException {
        long size = Files.size(file);
        if (size > limits.maxFileBytes()) {
            throw new CheckpointException(file.getFileName() + " is " + size + " bytes, more than the "
                    + limits.maxFileBytes() + " a checkpoint may have");
        }
        byte[] head = new byte[9];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return TorchZipCheckpoint.open(file, limits);
        }
        if (n == 9 && head[8] == '{') {
            return SafetensorsCheckpoint.open(file, limits);
        }
        if (n >= 2 && (head[0] & 0xFF) == 0x80 && head[1] <= 5) {
            throw new CheckpointException(file.getFileName() + " is a bare pickle (PyTorch's format before 1.6), "
                    + "which this reader does not accept; re-save it with a current PyTorch (torch.save) or as safetensors");
        }
        throw new CheckpointException(file.getFileName() + " is neither a PyTorch checkpoint (a zip made by torch.save) "
                + "nor a safetensors file");
    }

    /** Little-endian float32 elements of a tensor, for tests and small tensors. */
    default float[] readFloats(String key) throws IOException, CheckpointException {
        TensorEntry entry = tensors().get(key);
        if (entry == null) {
            throw new CheckpointException("the checkpoint has no tensor " + key);
        }
        long count = entry.elementCount();
        if (count < 0 || count > Integer.MAX_VALUE / 4) {
            throw new CheckpointException("tensor " + key + " is too big to read into an array");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
        readFloat32(key, buffer);
        buffer.flip();
        float[] out = new float[(int) count];
        buffer.asFloatBuffer().get(out);
        return out;
    }
}
