package org.chroma402.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.chroma402.onnx.proto.OnnxProto.GraphProto;
import org.chroma402.onnx.proto.OnnxProto.ModelProto;
import org.chroma402.onnx.proto.OnnxProto.ValueInfoProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a model's signature without the rest of it. */
class OnnxModelTest {
    @TempDir
    Path dir;

    @Test
    void theSignatureIsReadPastTheWeightsWithoutParsingThem() throws Exception {
        // 4 MB of weights before the inputs in the file, as exporters write them.
        GraphProto graph = GraphProto.newBuilder().setName("g")
                .addInitializer(Graphs.floats("w", new float[1 << 20], 1 << 20))
                .addNode(TestGraphs.node("Conv", List.of("input", "w"), "output"))
                .addInput(TestGraphs.floatValue("input", 1, 3, -1, -1))
                .addOutput(TestGraphs.floatValue("output", 1, 2, 64, 64)).build();
        ModelProto model = TestGraphs.model(graph);
        Path file = dir.resolve("m.onnx");
        OnnxModel.write(model, file);

        OnnxModel.Signature signature = OnnxModel.signature(file);

        assertThat(signature.inputs()).extracting(ValueInfoProto::getName).containsExactly("input");
        assertThat(signature.outputs()).containsExactly(graph.getOutput(0));
        assertThat(signature.inputs().get(0).getType().getTensorType().getShape().getDim(2).getDimValue()).isEqualTo(-1);
    }
}
