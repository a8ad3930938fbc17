package org.chroma402.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.chroma402.onnx.TestGraphs.floatValue;
import static org.chroma402.onnx.TestGraphs.ints;
import static org.chroma402.onnx.TestGraphs.node;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.chroma402.onnx.proto.OnnxProto.GraphProto;
import org.chroma402.onnx.proto.OnnxProto.ModelProto;
import org.chroma402.onnx.proto.OnnxProto.NodeProto;
import org.chroma402.onnx.proto.OnnxProto.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static INT8 convolutions on a small network shaped like DDColor's decoder (a large 3×3
 * convolution with bias and Relu, then a depthwise one), calibrated and run by ONNX Runtime:
 * the large one becomes QLinearConv, the depthwise one stays float, and the output stays close.
 */
class ConvQuantizerTest {
    @TempDir
    Path dir;

    private static final int IN = 128;
    private static final int OUT = 64;
    private static final int SIDE = 6;
    private static final long[] INPUT_SHAPE = {1, IN, SIDE, SIDE};

    private static ModelProto network(boolean spectralNorm) {
        List<NodeProto> nodes = new ArrayList<>();
        GraphProto.Builder graph = GraphProto.newBuilder().setName("decoder")
                .addInitializer(Graphs.floats("w", TestGraphs.random(1, OUT * IN * 9, 0.05f), OUT, IN, 3, 3))
                .addInitializer(Graphs.floats("b", TestGraphs.random(2, OUT, 0.1f), OUT))
                .addInitializer(Graphs.floats("dw", TestGraphs.random(3, OUT * 9, 0.3f), OUT, 1, 3, 3));
        String weight = "w";
        if (spectralNorm) {
            // torch.nn.utils.spectral_norm as exported: W / (u · (W.reshape(out, -1) v)).
            graph.addInitializer(Graphs.floats("u", TestGraphs.random(4, OUT, 0.2f), OUT))
                    .addInitializer(Graphs.floats("v", TestGraphs.random(5, IN * 9, 0.05f), IN * 9))
                    .addInitializer(Graphs.longs("flat", OUT, -1));
            nodes.add(node("Reshape", List.of("w", "flat"), "w_flat"));
            nodes.add(node("MatMul", List.of("w_flat", "v"), "wv"));
            nodes.add(node("MatMul", List.of("u", "wv"), "sigma"));
            nodes.add(node("Div", List.of("w", "sigma"), "w_sn"));
            weight = "w_sn";
        }
        nodes.add(node("Conv", List.of("x", weight, "b"), "conv", ints("pads", 1, 1, 1, 1)));
        nodes.add(node("Relu", List.of("conv"), "relu"));
        nodes.add(node("Conv", List.of("relu", "dw"), "y", ints("pads", 1, 1, 1, 1), Graphs.intAttribute("group", OUT)));
        graph.addAllNode(nodes).addInput(floatValue("x", INPUT_SHAPE)).addOutput(floatValue("y"));
        return TestGraphs.model(graph.build());
    }

    private OnnxModel write(ModelProto model, String name) throws Exception {
        Path file = dir.resolve(name);
        OnnxModel.write(model, file);
        return OnnxModel.read(file);
    }

    /** Calibration as the colorize module does it: the exposed tensors' ranges over a few inputs. */
    private Map<String, ConvQuantizer.Range> calibrate(OnnxModel model, List<String> tensors) throws Exception {
        return calibrate(model, tensors, false);
    }

    private Map<String, ConvQuantizer.Range> calibrate(OnnxModel model, List<String> tensors, boolean withQueries) throws Exception {
        Path probe = dir.resolve("probe.onnx");
        OnnxModel.write(ConvQuantizer.exposing(model.proto(), tensors), probe);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, ConvQuantizer.Range> ranges = new HashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions(); OrtSession session = env.createSession(probe.toString(), options)) {
            for (int seed = 10; seed < 14; seed++) {
                try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(TestGraphs.random(seed, IN * SIDE * SIDE, 1f)), INPUT_SHAPE);
                        OnnxTensor q = OnnxTensor.createTensor(env, FloatBuffer.wrap(TestGraphs.random(seed, 5 * OUT, 1f)), new long[] {1, 5, OUT});
                        OrtSession.Result result = session.run(withQueries ? Map.of("x", x, "q", q) : Map.of("x", x), new LinkedHashSet<>(tensors))) {
                    for (String t : tensors) {
                        FloatBuffer values = ((OnnxTensor) result.get(t).orElseThrow()).getFloatBuffer();
                        float min = Float.MAX_VALUE;
                        float max = -Float.MAX_VALUE;
                        while (values.hasRemaining()) {
                            float v = values.get();
                            min = Math.min(min, v);
                            max = Math.max(max, v);
                        }
                        ranges.merge(t, new ConvQuantizer.Range(min, max), ConvQuantizer.Range::including);
                    }
                }
            }
        }
        return ranges;
    }

    private void quantizesTheLargeConvolutionOnly(boolean spectralNorm) throws Exception {
        OnnxModel model = write(network(spectralNorm), "float.onnx");
        List<String> tensors = ConvQuantizer.calibrationTensors(model);
        assertThat(tensors).as("its input, and its output after the Relu that alone reads it").containsExactly("x", "relu");
        ConvQuantizer.Result result = ConvQuantizer.quantize(model, calibrate(model, tensors));
        assertThat(result.report().convs()).isEqualTo(1);
        assertThat(result.report().int8WeightBytes()).isEqualTo(OUT * IN * 9 + 4L * OUT);

        GraphProto g = result.model().getGraph();
        Map<String, TensorProto> inits = Graphs.initializers(g);
        assertThat(inits).doesNotContainKey("w").as("the float weight (and any spectral norm of it) is gone").doesNotContainKey("u");
        TensorProto q = inits.values().stream().filter(t -> t.getDataType() == TensorProto.DataType.INT8_VALUE && t.getDimsCount() == 4)
                .findFirst().orElseThrow();
        assertThat(q.getDimsList()).containsExactly((long) OUT, (long) IN, 3L, 3L);
        assertThat(inits.values()).anyMatch(t -> t.getDataType() == TensorProto.DataType.INT32_VALUE && t.getDims(0) == OUT);
        assertThat(g.getNodeList()).extracting(NodeProto::getOpType).contains("QuantizeLinear", "DequantizeLinear")
                .doesNotContain("Div", "MatMul");

        Path quantized = dir.resolve("int8.onnx");
        OnnxModel.write(result.model(), quantized);
        Path optimized = dir.resolve("optimized.onnx");
        float[] x = TestGraphs.random(99, IN * SIDE * SIDE, 1f);
        float[] expected = TestGraphs.run(dir.resolve("float.onnx"), Map.of("x", x), Map.of("x", INPUT_SHAPE));
        float[] actual = TestGraphs.run(quantized, Map.of("x", x), Map.of("x", INPUT_SHAPE), optimized);
        List<String> ran = OnnxModel.read(optimized).proto().getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
        assertThat(ran).as("ONNX Runtime fuses the QDQ form into one integer convolution, the Relu into its quantization")
                .contains("QLinearConv").doesNotContain("Relu");
        double error = TestGraphs.maxDifference(expected, actual) / TestGraphs.maxAbs(expected);
        assertThat(error).as("largest error relative to the largest output").isLessThan(0.03).isPositive();
    }

    @Test
    void quantizesAPlainWeight() throws Exception {
        quantizesTheLargeConvolutionOnly(false);
    }

    @Test
    void foldsASpectralNormIntoTheWeight() throws Exception {
        quantizesTheLargeConvolutionOnly(true);
    }

    /** As DDColor's colour decoder after EinsumAsMatMul: queries × the quantized convolution's output, grouped by a Reshape. */
    @Test
    void aProductOfTheQuantizedOutputReadsItsIntegers() throws Exception {
        GraphProto graph = GraphProto.newBuilder().setName("queries")
                .addInitializer(Graphs.floats("w", TestGraphs.random(1, OUT * IN * 9, 0.05f), OUT, IN, 3, 3))
                .addInitializer(Graphs.floats("b", TestGraphs.random(2, OUT, 0.1f), OUT))
                .addInitializer(Graphs.longs("grouped", 0, OUT, -1))
                .addNode(node("Conv", List.of("x", "w", "b"), "conv", ints("pads", 1, 1, 1, 1)))
                .addNode(node("Relu", List.of("conv"), "relu"))
                .addNode(node("Reshape", List.of("relu", "grouped"), "features"))
                .addNode(node("MatMul", List.of("q", "features"), "y"))
                .addInput(floatValue("x", INPUT_SHAPE)).addInput(floatValue("q", 1, 5, OUT)).addOutput(floatValue("y")).build();
        OnnxModel model = write(TestGraphs.model(graph), "float.onnx");
        ConvQuantizer.Result convs = ConvQuantizer.quantize(model, calibrate(model, ConvQuantizer.calibrationTensors(model), true));
        MatMulQuantizer.Result products = MatMulQuantizer.quantize(model.with(convs.model()));
        assertThat(products.report().integerActivations()).isEqualTo(1);
        List<NodeProto> nodes = products.model().getGraph().getNodeList();
        NodeProto integer = nodes.stream().filter(n -> n.getOpType().equals("MatMulInteger")).findFirst().orElseThrow();
        NodeProto reshape = nodes.stream().filter(n -> n.getOutput(0).equals(integer.getInput(1))).findFirst().orElseThrow();
        assertThat(reshape.getInput(0)).as("the uint8 activation, grouped as it is").isEqualTo("relu_q");
        assertThat(nodes).as("nothing dequantizes the activation any more")
                .noneMatch(n -> n.getOpType().equals("DequantizeLinear") && n.getInput(0).equals("relu_q"))
                .noneMatch(n -> n.getOpType().equals("MatMul"));

        Path quantized = dir.resolve("int8.onnx");
        OnnxModel.write(products.model(), quantized);
        Map<String, float[]> inputs = Map.of("x", TestGraphs.random(99, IN * SIDE * SIDE, 1f), "q", TestGraphs.random(98, 5 * OUT, 1f));
        Map<String, long[]> shapes = Map.of("x", INPUT_SHAPE, "q", new long[] {1, 5, OUT});
        float[] expected = TestGraphs.run(dir.resolve("float.onnx"), inputs, shapes);
        float[] actual = TestGraphs.run(quantized, inputs, shapes);
        assertThat(actual).hasSize(5 * SIDE * SIDE);
        assertThat(TestGraphs.maxDifference(expected, actual) / TestGraphs.maxAbs(expected)).isLessThan(0.05);
    }

    @Test
    void refusesToGuessARangeCalibrationDidNotMeasure() throws Exception {
        OnnxModel model = write(network(false), "float.onnx");
        assertThatThrownBy(() -> ConvQuantizer.quantize(model, Map.of("x", new ConvQuantizer.Range(-1, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no calibration range for relu");
        assertThatThrownBy(() -> new ConvQuantizer.Range(1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConvQuantizer.Range(Float.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
