package org.chroma402.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chroma402.onnx.TestGraphs.floatValue;
import static org.chroma402.onnx.TestGraphs.ints;
import static org.chroma402.onnx.TestGraphs.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.chroma402.onnx.proto.OnnxProto.AttributeProto;
import org.chroma402.onnx.proto.OnnxProto.GraphProto;
import org.chroma402.onnx.proto.OnnxProto.ModelProto;
import org.chroma402.onnx.proto.OnnxProto.NodeProto;
import org.chroma402.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Graphs exported at opset 11 and 12 raised to 13 compute exactly what they did, run by ONNX
 * Runtime at both opsets: every operator whose meaning changed in 13 is in them (axes and split
 * as attributes, softmax over a leading axis), so a bare change of the opset number would fail or differ.
 */
class OpsetUpgradeTest {
    @TempDir
    Path dir;

    private static final long[] SHAPE = {2, 5, 4, 3};

    /** x → Unsqueeze/Squeeze → Split → Softmax(axis 1), LogSoftmax(axis 2), Hardmax(-1), ReduceSum → Concat. */
    private static ModelProto changedOperators(long opset) {
        List<NodeProto> nodes = new java.util.ArrayList<>(List.of(
                node("Unsqueeze", List.of("x"), "u", ints("axes", 1)),
                node("Squeeze", List.of("u"), "q", ints("axes", 1)),
                NodeProto.newBuilder().setOpType("Split").setName("split").addInput("q").addOutput("s1").addOutput("s2")
                        .addAttribute(Graphs.intAttribute("axis", 1)).addAttribute(ints("split", 2, 3)).build(),
                node("Softmax", List.of("s1"), "a", Graphs.intAttribute("axis", 1)),
                node("LogSoftmax", List.of("s2"), "b", Graphs.intAttribute("axis", 2)),
                node("Hardmax", List.of("s2"), "h", Graphs.intAttribute("axis", -1)),
                // Softmax without an axis: opset 12's default is 1, opset 13's -1.
                node("Softmax", List.of("s2"), "d"),
                node("ReduceSum", List.of("s2"), "r", ints("axes", 1), Graphs.intAttribute("keepdims", 1))));
        String last = "r";
        if (opset == 11) {
            nodes.add(node("Dropout", List.of("r"), "r_dropped",
                    AttributeProto.newBuilder().setName("ratio").setType(AttributeProto.AttributeType.FLOAT).setF(0.3f).build()));
            last = "r_dropped";
        }
        nodes.add(node("Concat", List.of("a", "b", "h", "d", last), "y", Graphs.intAttribute("axis", 1)));
        GraphProto graph = GraphProto.newBuilder().setName("changed").addAllNode(nodes)
                .addInput(floatValue("x", SHAPE)).addOutput(floatValue("y")).build();
        return at(TestGraphs.model(graph), opset);
    }

    private static ModelProto at(ModelProto model, long opset) {
        return model.toBuilder().setIrVersion(7).clearOpsetImport()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
    }

    private float[] run(ModelProto model, String name, float[] x) throws Exception {
        Path file = dir.resolve(name);
        OnnxModel.write(model, file);
        return TestGraphs.run(file, Map.of("x", x), Map.of("x", SHAPE));
    }

    @ParameterizedTest(name = "a graph at opset {0} computes the same at 13")
    @ValueSource(ints = {11, 12})
    void anUpgradedGraphComputesWhatItDid(int opset) throws Exception {
        ModelProto old = changedOperators(opset);
        float[] x = TestGraphs.random(7, 2 * 5 * 4 * 3, 2f);
        float[] before = run(old, "old.onnx", x);

        OpsetUpgrade.Outcome outcome = OpsetUpgrade.toTarget(old);
        assertThat(outcome).isInstanceOf(OpsetUpgrade.Upgraded.class);
        OpsetUpgrade.Upgraded upgraded = (OpsetUpgrade.Upgraded) outcome;
        assertThat(upgraded.from()).isEqualTo(opset);
        assertThat(OpsetUpgrade.opset(upgraded.model())).isEqualTo(13);
        assertThat(upgraded.rewritten()).isEqualTo(opset == 11 ? 9 : 8);
        float[] after = run(upgraded.model(), "new.onnx", x);

        assertThat(after).containsExactly(before);
    }

    @Test
    void softmaxOverALeadingAxisMeansSomethingElseAt13() throws Exception {
        // Why the conversion is needed: the same node, read at 13, normalises per channel instead of over C·H·W.
        GraphProto graph = GraphProto.newBuilder().setName("softmax").addNode(node("Softmax", List.of("x"), "y", Graphs.intAttribute("axis", 1)))
                .addInput(floatValue("x", SHAPE)).addOutput(floatValue("y")).build();
        float[] x = TestGraphs.random(8, 2 * 5 * 4 * 3, 1f);
        float[] at12 = run(at(TestGraphs.model(graph), 12), "12.onnx", x);
        float[] renumbered = run(at(TestGraphs.model(graph), 13), "13.onnx", x);
        float[] converted = run(((OpsetUpgrade.Upgraded) OpsetUpgrade.toTarget(at(TestGraphs.model(graph), 12))).model(), "c.onnx", x);

        assertThat(TestGraphs.maxDifference(at12, renumbered)).isGreaterThan(0.01);
        assertThat(converted).containsExactly(at12);
    }

    @Test
    void aGraphAt13OrLaterIsLeftAsItIs() {
        ModelProto model = TestGraphs.model(GraphProto.newBuilder().addNode(node("Relu", List.of("x"), "y")).build());
        OpsetUpgrade.Upgraded same = (OpsetUpgrade.Upgraded) OpsetUpgrade.toTarget(model);
        assertThat(same.model()).isSameAs(model);
        assertThat(same.rewritten()).isZero();
    }

    @Test
    void whatCannotBeConvertedIsRefusedWithTheReason() {
        ModelProto opset10 = at(TestGraphs.model(GraphProto.newBuilder().addNode(node("Relu", List.of("x"), "y")).build()), 10);
        assertThat(OpsetUpgrade.toTarget(opset10)).isInstanceOfSatisfying(OpsetUpgrade.Refused.class,
                r -> assertThat(r.reason()).contains("opset 10", "export it at opset 13"));

        ModelProto tfResize = at(TestGraphs.model(GraphProto.newBuilder().addNode(node("Resize", List.of("x", "roi", "scales"), "up",
                TestGraphs.string("coordinate_transformation_mode", "tf_half_pixel_for_nn"))).build()), 12);
        assertThat(OpsetUpgrade.toTarget(tfResize)).isInstanceOfSatisfying(OpsetUpgrade.Refused.class,
                r -> assertThat(r.reason()).contains("Resize 'up_node'", "tf_half_pixel_for_nn"));
    }
}
