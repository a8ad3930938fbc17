package org.chroma402.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chroma402.onnx.TestGraphs.floatValue;
import static org.chroma402.onnx.TestGraphs.ints;
import static org.chroma402.onnx.TestGraphs.node;
import static org.chroma402.onnx.TestGraphs.string;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chroma402.onnx.proto.OnnxProto.GraphProto;
import org.chroma402.onnx.proto.OnnxProto.ModelProto;
import org.chroma402.onnx.proto.OnnxProto.NodeProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rewrite on graphs shaped like DDColor's colour decoder tail (queries × a shuffled, padded,
 * blurred feature map), run by ONNX Runtime before and after: same values, other operators.
 */
class EinsumAsMatMulTest {
    @TempDir
    Path dir;

    private static final int QUERIES = 5;
    private static final int CHANNELS = 4;
    private static final int SCALE = 2;
    private static final int SIDE = 3;

    /** Einsum(queries, AveragePool(Pad(Pad(DepthToSpace(features))))), as DDColor's last_shuf and colour decoder export. */
    private static ModelProto decoderTail(String mode, boolean padValue, String equation) {
        List<NodeProto> nodes = new ArrayList<>();
        nodes.add(node("DepthToSpace", List.of("features"), "shuffled", Graphs.intAttribute("blocksize", SCALE), string("mode", mode)));
        nodes.add(node("Pad", List.of("shuffled", "edge_pads"), "replicated", string("mode", "edge")));
        nodes.add(node("Pad", padValue ? List.of("replicated", "zero_pads", "pad_value") : List.of("replicated", "zero_pads"), "padded",
                string("mode", "constant")));
        nodes.add(node("AveragePool", List.of("padded"), "blurred", ints("kernel_shape", 2, 2), ints("strides", 1, 1)));
        nodes.add(node("Einsum", List.of("queries", "blurred"), "colours", string("equation", equation)));
        GraphProto.Builder graph = GraphProto.newBuilder().setName("tail").addAllNode(nodes)
                .addInitializer(Graphs.longs("edge_pads", 0, 0, 1, 1, 0, 0, 0, 0))
                .addInitializer(Graphs.longs("zero_pads", 0, 0, 0, 0, 0, 0, 1, 1))
                .addInput(floatValue("queries", 1, QUERIES, CHANNELS))
                .addInput(floatValue("features", 1, CHANNELS * SCALE * SCALE, SIDE, SIDE))
                .addOutput(floatValue("colours"));
        if (padValue) {
            graph.addInitializer(Graphs.floats("pad_value", new float[] {0.5f}));
        }
        return TestGraphs.model(graph.build());
    }

    private float[] run(ModelProto model, String name) throws Exception {
        Path file = dir.resolve(name);
        OnnxModel.write(model, file);
        return TestGraphs.run(file,
                Map.of("queries", TestGraphs.random(1, QUERIES * CHANNELS, 1f),
                        "features", TestGraphs.random(2, CHANNELS * SCALE * SCALE * SIDE * SIDE, 1f)),
                Map.of("queries", new long[] {1, QUERIES, CHANNELS}, "features", new long[] {1, CHANNELS * SCALE * SCALE, SIDE, SIDE}));
    }

    private static List<String> ops(ModelProto model) {
        return model.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
    }

    @Test
    void takesTheProductBeforeTheShuffleAndGivesTheSameColours() throws Exception {
        ModelProto original = decoderTail("CRD", false, "bqc,bchw->bqhw");
        EinsumAsMatMul.Result result = EinsumAsMatMul.rewrite(original);
        assertThat(result.rewritten()).isEqualTo(1);
        assertThat(result.hoisted()).isEqualTo(1);
        assertThat(ops(result.model())).doesNotContain("Einsum").contains("MatMul", "DepthToSpace", "AveragePool")
                .as("the original shuffle, pads and blur are gone, their copies act on the product").containsOnlyOnce("DepthToSpace");
        NodeProto matMul = result.model().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("MatMul")).findFirst().orElseThrow();
        List<String> order = result.model().getGraph().getNodeList().stream().map(NodeProto::getName).toList();
        NodeProto shuffle = result.model().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("DepthToSpace")).findFirst().orElseThrow();
        assertThat(order.indexOf(matMul.getName())).isLessThan(order.indexOf(shuffle.getName()));

        float[] expected = run(original, "original.onnx");
        float[] actual = run(result.model(), "rewritten.onnx");
        assertThat(actual).hasSize(QUERIES * (SIDE * SCALE + 1) * (SIDE * SCALE + 1));
        assertThat(TestGraphs.maxDifference(expected, actual)).isLessThan(1e-5 * Math.max(1, TestGraphs.maxAbs(expected)));
    }

    @Test
    void otherShufflesAndPadsKeepTheirPlaceButTheProductIsStillAMatMul() throws Exception {
        for (ModelProto original : List.of(decoderTail("DCR", false, "bqc,bchw->bqhw"), decoderTail("CRD", true, "bqc,bchw->bqhw"))) {
            EinsumAsMatMul.Result result = EinsumAsMatMul.rewrite(original);
            assertThat(result.rewritten()).isEqualTo(1);
            assertThat(result.hoisted()).as("DCR's channel order, or a pad value that is not zero, is not moved past").isZero();
            assertThat(ops(result.model())).doesNotContain("Einsum");
            float[] expected = run(original, "original.onnx");
            float[] actual = run(result.model(), "rewritten.onnx");
            assertThat(TestGraphs.maxDifference(expected, actual)).isLessThan(1e-5 * Math.max(1, TestGraphs.maxAbs(expected)));
        }
    }

    @Test
    void aChainLongerThanDdcolorsIsLeftWhereItIs() {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("long")
                .addNode(node("DepthToSpace", List.of("features"), "t0", Graphs.intAttribute("blocksize", SCALE), string("mode", "CRD")));
        for (int i = 0; i < 12; i++) {
            graph.addNode(node("AveragePool", List.of("t" + i), "t" + (i + 1), ints("kernel_shape", 1, 1)));
        }
        graph.addNode(node("Einsum", List.of("queries", "t12"), "colours", string("equation", "bqc,bchw->bqhw")))
                .addOutput(floatValue("colours"));
        EinsumAsMatMul.Result result = EinsumAsMatMul.rewrite(TestGraphs.model(graph.build()));
        assertThat(result.rewritten()).isEqualTo(1);
        assertThat(result.hoisted()).isZero();
    }

    @Test
    void otherEinsumsStay() {
        ModelProto original = decoderTail("CRD", false, "bqc,bchw->bqwh");
        EinsumAsMatMul.Result result = EinsumAsMatMul.rewrite(original);
        assertThat(result.rewritten()).isZero();
        assertThat(result.model()).isEqualTo(original);
    }
}
