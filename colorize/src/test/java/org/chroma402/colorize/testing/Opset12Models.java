package org.chroma402.colorize.testing;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.chroma402.onnx.proto.OnnxProto.AttributeProto;
import org.chroma402.onnx.proto.OnnxProto.GraphProto;
import org.chroma402.onnx.proto.OnnxProto.ModelProto;
import org.chroma402.onnx.proto.OnnxProto.NodeProto;
import org.chroma402.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.chroma402.onnx.proto.OnnxProto.TensorProto;
import org.chroma402.onnx.proto.OnnxProto.TensorShapeProto;
import org.chroma402.onnx.proto.OnnxProto.TypeProto;
import org.chroma402.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * A small DDColor-shaped model written at an old ONNX opset, as {@code torch.onnx.export(…,
 * opset_version=12)} writes DDColor (the official export script, ours, {@code make_ddcolor_like.py}):
 * {@code input} (1, 3, 64, 64) → {@code output} (1, 2, 64, 64), with what INT8 quantizes (a
 * 128→128 3×3 convolution, a MatMul with a constant weight) and operators whose meaning changed in
 * opset 13 (Unsqueeze/Squeeze/ReduceSum axes and Split sizes as attributes, Softmax over channels).
 * Seeded weights, written by the test that needs it (no Python).
 */
public final class Opset12Models {
    private static final int SIDE = 64;
    private static final int WIDTH = 128;

    private Opset12Models() {
    }

    /** Writes the model at {@code opset} (10 to 12 hold the same operators) to {@code file}. */
    public static Path ddcolorLike(Path file, int opset) {
        Random random = new Random(402);
        int half = WIDTH / 2;
        GraphProto graph = GraphProto.newBuilder().setName("ddcolor_like_opset" + opset)
                .addInitializer(floats("w1", random, 1 / Math.sqrt(27), WIDTH, 3, 3, 3))
                .addInitializer(floats("b1", random, 0.1, WIDTH))
                .addInitializer(floats("w2", random, 1 / Math.sqrt(WIDTH * 9), WIDTH, WIDTH, 3, 3))
                .addInitializer(floats("b2", random, 0.1, WIDTH))
                .addInitializer(floats("w3", random, 1 / Math.sqrt(half), half, half))
                .addInitializer(floats("w4", random, 1 / Math.sqrt(half), 2, half, 1, 1))
                .addInitializer(TensorProto.newBuilder().setName("scale").setDataType(TensorProto.DataType.FLOAT_VALUE)
                        .setRawData(bytes(new float[] {40f})).addDims(1))
                .addNode(node("Conv", List.of("input", "w1", "b1"), List.of("c1"), ints("pads", 1, 1, 1, 1)))
                .addNode(node("Relu", List.of("c1"), List.of("r1")))
                .addNode(node("Conv", List.of("r1", "w2", "b2"), List.of("c2"), ints("pads", 1, 1, 1, 1)))
                .addNode(node("Relu", List.of("c2"), List.of("r2")))
                .addNode(node("Unsqueeze", List.of("r2"), List.of("u"), ints("axes", 1)))
                .addNode(node("Squeeze", List.of("u"), List.of("q"), ints("axes", 1)))
                .addNode(node("Split", List.of("q"), List.of("s1", "s2"), integer("axis", 1), ints("split", half, half)))
                .addNode(node("Transpose", List.of("s1"), List.of("nhwc"), ints("perm", 0, 2, 3, 1)))
                .addNode(node("MatMul", List.of("nhwc", "w3"), List.of("mixed")))
                .addNode(node("Transpose", List.of("mixed"), List.of("nchw"), ints("perm", 0, 3, 1, 2)))
                .addNode(node("Softmax", List.of("s2"), List.of("attention"), integer("axis", 1)))
                .addNode(node("ReduceSum", List.of("attention"), List.of("weight"), ints("axes", 1), integer("keepdims", 1)))
                .addNode(node("Mul", List.of("nchw", "weight"), List.of("weighted")))
                .addNode(node("Add", List.of("nchw", "weighted"), List.of("features")))
                .addNode(node("Conv", List.of("features", "w4"), List.of("c4")))
                .addNode(node("Tanh", List.of("c4"), List.of("ab")))
                .addNode(node("Mul", List.of("ab", "scale"), List.of("output")))
                .addInput(value("input", 1, 3, SIDE, SIDE))
                .addOutput(value("output", 1, 2, SIDE, SIDE))
                .build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(Math.min(7, opset - 5)).setProducerName("chroma402 tests").setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, model.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static NodeProto node(String op, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        return NodeProto.newBuilder().setOpType(op).setName(outputs.get(0) + "_node").addAllInput(inputs).addAllOutput(outputs)
                .addAllAttribute(List.of(attributes)).build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static TensorProto floats(String name, Random random, double scale, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        float[] values = new float[(int) n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(bytes(values));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static ByteString bytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return ByteString.copyFrom(b.array());
    }

    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }
}
