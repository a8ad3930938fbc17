package org.chroma402.colorize.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.chroma402.colorize.checkpoint.RestrictedUnpickler.StorageRef;
import org.chroma402.colorize.checkpoint.RestrictedUnpickler.TensorRef;

/**
 * A checkpoint in {@code torch.save}'s zip format: {@code <name>/data.pkl} describes the state
 * dict, and each tensor's bytes are in {@code <name>/data/<storage key>}. Every storage is checked
 * against the tensors that view it before any data is read: a storage shorter than its tensors'
 * shapes, a tensor that is not contiguous, or a zip entry that is missing is refused by name.
 */
final class TorchZipCheckpoint implements Checkpoint {
    private final ZipFile zip;
    private final String prefix;
    private final Map<String, TensorRef> refs;
    private final Map<String, TensorEntry> tensors;

    private TorchZipCheckpoint(ZipFile zip, String prefix, Map<String, TensorRef> refs, Map<String, TensorEntry> tensors) {
        this.zip = zip;
        this.prefix = prefix;
        this.refs = refs;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    static Checkpoint open(Path file, CheckpointLimits limits) throws IOException, CheckpointException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointException(file.getFileName() + " is a damaged or truncated zip (" + e.getMessage() + ")");
        }
        try {
            return read(zip, file, limits);
        } catch (IOException | CheckpointException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static Checkpoint read(ZipFile zip, Path file, CheckpointLimits limits) throws IOException, CheckpointException {
        if (zip.size() > limits.maxTensors() + 16) {
            throw new CheckpointException(file.getFileName() + " has " + zip.size() + " zip entries, more than a checkpoint may have");
        }
        String prefix = null;
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                if (prefix != null) {
                    throw new CheckpointException(file.getFileName() + " holds more than one data.pkl");
                }
                prefix = name.substring(0, name.length() - "data.pkl".length());
            }
        }
        if (prefix == null) {
            throw new CheckpointException(file.getFileName() + " is a zip but not a PyTorch checkpoint (no <name>/data.pkl)");
        }
        ZipEntry byteorder = zip.getEntry(prefix + "byteorder");
        if (byteorder != null) {
            String order = new String(readBounded(zip, byteorder, 16, "byteorder"), StandardCharsets.US_ASCII).strip();
            if (!order.equals("little")) {
                throw new CheckpointException(file.getFileName() + " was saved with " + order + "-endian tensors; only little-endian ones are read");
            }
        }
        byte[] pickle = readBounded(zip, zip.getEntry(prefix + "data.pkl"), limits.maxHeaderBytes(), "data.pkl");
        Map<String, Object> stateDict = stateDict(RestrictedUnpickler.read(pickle));
        if (stateDict.size() > limits.maxTensors()) {
            throw new CheckpointException(file.getFileName() + " has " + stateDict.size() + " tensors, more than a checkpoint may have");
        }
        Map<String, TensorRef> refs = new LinkedHashMap<>();
        Map<String, TensorEntry> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : stateDict.entrySet()) {
            String key = e.getKey();
            if (!(e.getValue() instanceof TensorRef ref)) {
                throw new CheckpointException("state-dict entry " + key + " is not a tensor");
            }
            check(zip, prefix, key, ref);
            refs.put(key, ref);
            tensors.put(key, new TensorEntry(key, ref.storage().dtype(), ref.shape()));
        }
        return new TorchZipCheckpoint(zip, prefix, refs, tensors);
    }

    /** The state dict: the top-level dictionary, or its "params" entry, as the official loader takes it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> stateDict(Object top) throws CheckpointException {
        if (!(top instanceof Map<?, ?> map)) {
            throw new CheckpointException("the checkpoint holds no dictionary of tensors");
        }
        Object params = map.get("params");
        if (params instanceof Map<?, ?> inner) {
            map = inner;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new CheckpointException("the state dict has a key that is not a string: " + e.getKey());
            }
            out.put(key, e.getValue());
        }
        return (Map<String, Object>) (Map<?, ?>) out;
    }

    private static void check(ZipFile zip, String prefix, String key, TensorRef ref) throws CheckpointException {
        StorageRef storage = ref.storage();
        long[] shape = ref.shape();
        long[] stride = ref.stride();
        long count = TensorEntry.elementCount(shape);
        if (count < 0 || stride.length != shape.length || ref.offset() < 0) {
            throw new CheckpointException("tensor " + key + " has an impossible shape or stride");
        }
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] > 1 && stride[i] != expected) {
                throw new CheckpointException("tensor " + key + " is not contiguous (stride " + java.util.Arrays.toString(stride)
                        + " for shape " + java.util.Arrays.toString(shape) + ")");
            }
            expected *= shape[i];
        }
        // Exact arithmetic: a hostile numel or offset (2^62, 2^61) must not wrap around into a
        // size that passes these checks and then reads the tensor from the wrong place.
        long end;
        long bytes;
        try {
            end = Math.addExact(ref.offset(), count);
            bytes = Math.multiplyExact(storage.elementCount(), (long) storage.dtype().size());
            Math.multiplyExact(end, (long) storage.dtype().size());
        } catch (ArithmeticException e) {
            throw new CheckpointException("tensor " + key + " has a size or offset too large for any file");
        }
        if (storage.elementCount() < 0 || end > storage.elementCount()) {
            throw new CheckpointException("tensor " + key + " " + java.util.Arrays.toString(shape) + " needs "
                    + end + " elements but its storage has " + storage.elementCount());
        }
        ZipEntry data = zip.getEntry(prefix + "data/" + storage.key());
        if (data == null) {
            throw new CheckpointException("the storage of tensor " + key + " (data/" + storage.key() + ") is missing");
        }
        if (data.getSize() >= 0 && data.getSize() < bytes) {
            throw new CheckpointException("the storage of tensor " + key + " has " + data.getSize() + " bytes, shorter than the "
                    + bytes + " its " + storage.elementCount() + " elements need");
        }
    }

    private static byte[] readBounded(ZipFile zip, ZipEntry entry, int max, String what) throws IOException, CheckpointException {
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] data = in.readNBytes(max + 1);
            if (data.length > max) {
                throw new CheckpointException("the checkpoint's " + what + " is larger than " + max + " bytes");
            }
            return data;
        } catch (ZipException e) {
            throw new CheckpointException("the checkpoint's " + what + " is damaged (" + e.getMessage() + ")");
        }
    }

    @Override
    public Map<String, TensorEntry> tensors() {
        return tensors;
    }

    @Override
    public void readFloat32(String key, ByteBuffer out) throws IOException, CheckpointException {
        TensorRef ref = refs.get(key);
        if (ref == null) {
            throw new CheckpointException("the checkpoint has no tensor " + key);
        }
        DType dtype = ref.storage().dtype();
        if (!dtype.isFloating()) {
            throw new CheckpointException("tensor " + key + " holds " + dtype + " values, not floating-point weights");
        }
        long count = TensorEntry.elementCount(ref.shape());
        out.order(ByteOrder.LITTLE_ENDIAN);
        ZipEntry entry = zip.getEntry(prefix + "data/" + ref.storage().key());
        try (InputStream in = zip.getInputStream(entry)) {
            in.skipNBytes(ref.offset() * dtype.size());
            byte[] chunk = new byte[1 << 16];
            ByteBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
            long left = count * dtype.size();
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                if (in.readNBytes(chunk, 0, n) != n) {
                    throw new EOFException();
                }
                view.clear().limit(n);
                dtype.copyAsFloat32(view, out);
                left -= n;
            }
        } catch (EOFException e) {
            throw new CheckpointException("the storage of tensor " + key + " ends early; the file is truncated");
        } catch (ZipException e) {
            throw new CheckpointException("the storage of tensor " + key + " is damaged (" + e.getMessage() + ")");
        }
    }

    @Override
    public String format() {
        return "PyTorch checkpoint";
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
