package org.chroma402.onnx;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.chroma402.onnx.proto.OnnxProto.ModelProto;
import org.chroma402.onnx.proto.OnnxProto.StringStringEntryProto;
import org.chroma402.onnx.proto.OnnxProto.TensorProto;
import org.chroma402.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * An ONNX model file and the external-data files next to it. Reads tensors wherever they keep
 * their values (raw bytes, typed fields, or an external file), and writes models. External data
 * may only name a plain file in the model's own folder: a location with a path in it is refused,
 * so a hostile model cannot make us read other files.
 */
public final class OnnxModel {
    private final Path file;
    private final ModelProto proto;

    private OnnxModel(Path file, ModelProto proto) {
        this.file = file;
        this.proto = proto;
    }

    public static OnnxModel read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            return new OnnxModel(file, ModelProto.parseFrom(coded));
        }
    }

    /** A graph's declared inputs and outputs (names, element types, shapes). */
    public record Signature(List<ValueInfoProto> inputs, List<ValueInfoProto> outputs) {
        public Signature {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }

    /**
     * The inputs and outputs {@code file}'s graph declares, read without the rest: the nodes and
     * weights are skipped as they stream past, so a 900 MB model with its weights inside costs one
     * read of the file and no memory (what {@code models list} needs, where loading every model
     * into ONNX Runtime took seconds).
     */
    public static Signature signature(Path file) throws IOException {
        List<ValueInfoProto> inputs = new ArrayList<>();
        List<ValueInfoProto> outputs = new ArrayList<>();
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            for (int tag = coded.readTag(); tag != 0; tag = coded.readTag()) {
                if (tag != GRAPH_TAG) {
                    coded.skipField(tag);
                    continue;
                }
                int limit = coded.pushLimit(coded.readRawVarint32());
                for (int field = coded.readTag(); field != 0; field = coded.readTag()) {
                    switch (field) {
                        case GRAPH_INPUT_TAG -> inputs.add(ValueInfoProto.parseFrom(coded.readBytes()));
                        case GRAPH_OUTPUT_TAG -> outputs.add(ValueInfoProto.parseFrom(coded.readBytes()));
                        default -> coded.skipField(field);
                    }
                }
                coded.popLimit(limit);
            }
        }
        return new Signature(inputs, outputs);
    }

    // Wire tags (field number << 3 | 2, length-delimited) of ModelProto.graph and GraphProto.input/output in onnx.proto.
    private static final int GRAPH_TAG = 7 << 3 | 2;
    private static final int GRAPH_INPUT_TAG = 11 << 3 | 2;
    private static final int GRAPH_OUTPUT_TAG = 12 << 3 | 2;

    /** Another graph for the same file (one a pass made from this one): its external data is read from the same folder. */
    public OnnxModel with(ModelProto other) {
        return new OnnxModel(file, other);
    }

    public Path file() {
        return file;
    }

    public ModelProto proto() {
        return proto;
    }

    /** A float tensor's values, from wherever the tensor keeps them. */
    public float[] floats(TensorProto tensor) throws IOException {
        if (tensor.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new IOException("tensor " + tensor.getName() + " is not float32");
        }
        long count = 1;
        for (long d : tensor.getDimsList()) {
            count = Math.multiplyExact(count, d);
        }
        if (count > Integer.MAX_VALUE / 4) {
            throw new IOException("tensor " + tensor.getName() + " is too large");
        }
        float[] out = new float[(int) count];
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            ByteBuffer bytes = external(tensor, count * 4);
            bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        } else if (!tensor.getRawData().isEmpty()) {
            if (tensor.getRawData().size() != count * 4) {
                throw new IOException("tensor " + tensor.getName() + " has " + tensor.getRawData().size() + " bytes for "
                        + count + " floats");
            }
            tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        } else if (tensor.getFloatDataCount() == count) {
            for (int i = 0; i < count; i++) {
                out[i] = tensor.getFloatData(i);
            }
        } else {
            throw new IOException("tensor " + tensor.getName() + " has no values");
        }
        return out;
    }

    private ByteBuffer external(TensorProto tensor, long expected) throws IOException {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : tensor.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = Long.parseLong(e.getValue());
                case "length" -> length = Long.parseLong(e.getValue());
                default -> { }
            }
        }
        if (location == null || location.isEmpty() || location.contains("/") || location.contains("\\")
                || location.startsWith(".")) {
            throw new IOException("tensor " + tensor.getName() + " names external data '" + location
                    + "'; only a plain file next to the model is read");
        }
        if (length >= 0 && length != expected || offset < 0) {
            throw new IOException("tensor " + tensor.getName() + " has external data of " + length + " bytes for " + expected);
        }
        Path data = file.resolveSibling(location);
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ)) {
            if (offset + expected > channel.size()) {
                throw new IOException("tensor " + tensor.getName() + " lies beyond the end of " + location);
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) expected);
            long at = offset;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, at);
                if (n < 0) {
                    throw new IOException(location + " ended early");
                }
                at += n;
            }
            return buffer.flip();
        }
    }

    /** Writes a model (its external data stays where it points: keep the file in the same folder). */
    public static void write(ModelProto model, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            model.writeTo(out);
        }
    }
}
