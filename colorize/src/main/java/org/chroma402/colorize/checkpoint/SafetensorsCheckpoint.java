package org.chroma402.colorize.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the data. Ranges are checked against the shapes, the file
 * size and each other before anything is read.
 */
final class SafetensorsCheckpoint implements Checkpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Range(long begin, long end) {
    }

    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorEntry> tensors;
    private final Map<String, Range> ranges;

    private SafetensorsCheckpoint(FileChannel channel, long dataStart, Map<String, TensorEntry> tensors, Map<String, Range> ranges) {
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.ranges = ranges;
    }

    static Checkpoint open(Path file, CheckpointLimits limits) throws IOException, CheckpointException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return read(channel, file, limits);
        } catch (IOException | CheckpointException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static Checkpoint read(FileChannel channel, Path file, CheckpointLimits limits) throws IOException, CheckpointException {
        long size = channel.size();
        ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, head, 0);
        long headerLength = head.getLong(0);
        if (headerLength <= 0 || headerLength > limits.maxHeaderBytes() || 8 + headerLength > size) {
            throw new CheckpointException(file.getFileName() + ": the safetensors header length " + headerLength
                    + " is impossible for a " + size + "-byte file");
        }
        ByteBuffer header = ByteBuffer.allocate((int) headerLength);
        readFully(channel, header, 8);
        JsonNode root;
        try {
            root = JSON.readTree(header.array());
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file.getFileName() + ": the safetensors header is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(file.getFileName() + ": the safetensors header is not a JSON object");
        }
        long dataStart = 8 + headerLength;
        long dataSize = size - dataStart;
        Map<String, TensorEntry> tensors = new LinkedHashMap<>();
        Map<String, Range> ranges = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (key.equals("__metadata__")) {
                continue;
            }
            if (tensors.size() >= limits.maxTensors()) {
                throw new CheckpointException(file.getFileName() + " has more tensors than a checkpoint may have");
            }
            JsonNode t = field.getValue();
            JsonNode offsets = t.path("data_offsets");
            JsonNode shapeNode = t.path("shape");
            if (!t.path("dtype").isTextual() || !shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2
                    || !offsets.get(0).canConvertToExactIntegral() || !offsets.get(1).canConvertToExactIntegral()) {
                throw new CheckpointException("tensor " + key + ": a safetensors entry needs dtype, shape and data_offsets");
            }
            DType dtype = DType.ofSafetensors(t.path("dtype").asText());
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                if (!shapeNode.get(i).canConvertToLong()) {
                    throw new CheckpointException("tensor " + key + ": its shape must be integers");
                }
                shape[i] = shapeNode.get(i).asLong();
            }
            long count = TensorEntry.elementCount(shape);
            long begin = offsets.get(0).asLong();
            long end = offsets.get(1).asLong();
            if (count < 0 || begin < 0 || end < begin || end > dataSize) {
                throw new CheckpointException("tensor " + key + ": bytes " + begin + ".." + end
                        + " do not lie within the file's " + dataSize + " data bytes");
            }
            if (end - begin != count * dtype.size()) {
                throw new CheckpointException("tensor " + key + " " + java.util.Arrays.toString(shape) + " of " + dtype + " needs "
                        + count * dtype.size() + " bytes but has " + (end - begin));
            }
            tensors.put(key, new TensorEntry(key, dtype, shape));
            ranges.put(key, new Range(begin, end));
        }
        List<Map.Entry<String, Range>> sorted = new ArrayList<>(ranges.entrySet());
        sorted.sort(Comparator.comparingLong(e -> e.getValue().begin()));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).getValue().begin() < sorted.get(i - 1).getValue().end()) {
                throw new CheckpointException("tensors " + sorted.get(i - 1).getKey() + " and " + sorted.get(i).getKey()
                        + " overlap in the file");
            }
        }
        return new SafetensorsCheckpoint(channel, dataStart, tensors, ranges);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException();
            }
            at += n;
        }
    }

    @Override
    public Map<String, TensorEntry> tensors() {
        return tensors;
    }

    @Override
    public void readFloat32(String key, ByteBuffer out) throws IOException, CheckpointException {
        TensorEntry entry = tensors.get(key);
        if (entry == null) {
            throw new CheckpointException("the checkpoint has no tensor " + key);
        }
        if (!entry.dtype().isFloating()) {
            throw new CheckpointException("tensor " + key + " holds " + entry.dtype() + " values, not floating-point weights");
        }
        Range range = ranges.get(key);
        out.order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        long at = dataStart + range.begin();
        long end = dataStart + range.end();
        try {
            while (at < end) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), end - at));
                readFully(channel, chunk, at);
                at += chunk.limit();
                chunk.flip();
                entry.dtype().copyAsFloat32(chunk, out);
            }
        } catch (EOFException e) {
            throw new CheckpointException("tensor " + key + " ends early; the file is truncated");
        }
    }

    @Override
    public String format() {
        return "safetensors";
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
