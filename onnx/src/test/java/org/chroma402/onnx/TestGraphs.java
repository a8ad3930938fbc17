package org.chroma402.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

/** Small float graphs for the pass tests, and ONNX Runtime to run them. */
final class TestGraphs {
    private TestGraphs() {
    }

    static ValueInfoProto floatValue(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    static ModelProto model(GraphProto graph) {
        return ModelProto.newBuilder().setIrVersion(8).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).build();
    }

    static float[] random(long seed, int n, float scale) {
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * scale);
        }
        return out;
    }

    static NodeProto node(String op, List<String> inputs, String output, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output + "_node").addAllInput(inputs).addOutput(output);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        return n.build();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    /** Runs a model file on named float inputs and returns its first output's values. */
    static float[] run(Path model, Map<String, float[]> inputs, Map<String, long[]> shapes) throws Exception {
        return run(model, inputs, shapes, null);
    }

    /** As {@link #run(Path, Map, Map)}; with {@code optimized} set, ONNX Runtime also writes the graph it ran there. */
    static float[] run(Path model, Map<String, float[]> inputs, Map<String, long[]> shapes, Path optimized) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (optimized != null) {
                options.setOptimizedModelFilePath(optimized.toString());
            }
            try (OrtSession session = env.createSession(model.toString(), options)) {
                Map<String, OnnxTensor> tensors = new HashMap<>();
                List<OnnxTensor> open = new ArrayList<>();
                try {
                    for (var e : inputs.entrySet()) {
                        OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()), shapes.get(e.getKey()));
                        open.add(t);
                        tensors.put(e.getKey(), t);
                    }
                    try (OrtSession.Result result = session.run(tensors)) {
                        FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                        float[] values = new float[out.remaining()];
                        out.get(values);
                        return values;
                    }
                } finally {
                    open.forEach(OnnxTensor::close);
                }
            }
        }
    }

    static double maxDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths " + a.length + " and " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
