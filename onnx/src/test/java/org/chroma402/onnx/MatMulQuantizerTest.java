package org.chroma402.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chroma402.onnx.proto.OnnxProto.AttributeProto;
import org.chroma402.onnx.proto.OnnxProto.GraphProto;
import org.chroma402.onnx.proto.OnnxProto.ModelProto;
import org.chroma402.onnx.proto.OnnxProto.NodeProto;
import org.chroma402.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.chroma402.onnx.proto.OnnxProto.StringStringEntryProto;
import org.chroma402.onnx.proto.OnnxProto.TensorProto;
import org.chroma402.onnx.proto.OnnxProto.ValueInfoProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quantizer on a graph shaped like PyTorch's nn.Linear export: MatMul(A, Transpose(W)), W in external data. */
class MatMulQuantizerTest {
    @TempDir
    Path dir;

    private static final float[] W = {1.0f, -0.5f, 0.25f, 0.0f, 0.0f, 0.0f, -2.0f, 1.0f, 0.5f, 0.1f, 0.2f, -0.3f};

    private Path linearModel(String location) throws Exception {
        ByteBuffer data = ByteBuffer.allocate(W.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : W) {
            data.putFloat(v);
        }
        Files.write(dir.resolve("weights.bin"), data.array());
        TensorProto w = TensorProto.newBuilder().setName("fc.weight").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(4).addDims(3).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue("0"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(String.valueOf(W.length * 4))).build();
        GraphProto graph = GraphProto.newBuilder().setName("linear").addInitializer(w)
                .addNode(NodeProto.newBuilder().setOpType("Transpose").setName("t").addInput("fc.weight").addOutput("wt")
                        .addAttribute(AttributeProto.newBuilder().setName("perm").setType(AttributeProto.AttributeType.INTS)
                                .addInts(1).addInts(0)))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("mm").addInput("input").addInput("wt").addOutput("output"))
                .addInput(ValueInfoProto.newBuilder().setName("input"))
                .addOutput(ValueInfoProto.newBuilder().setName("output")).build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).build();
        Path file = dir.resolve("model.onnx");
        OnnxModel.write(model, file);
        return file;
    }

    @Test
    void replacesTheProductWithIntegerKernelsAndPerColumnScales() throws Exception {
        MatMulQuantizer.Result result = MatMulQuantizer.quantize(OnnxModel.read(linearModel("weights.bin")));
        GraphProto g = result.model().getGraph();
        assertThat(g.getNodeList()).extracting(NodeProto::getOpType)
                .containsExactly("DynamicQuantizeLinear", "MatMulInteger", "Cast", "Mul", "Mul");
        assertThat(g.getNode(4).getOutput(0)).isEqualTo("output");
        assertThat(g.getInitializerList()).extracting(TensorProto::getName).containsExactly("output_B_quantized", "output_B_scale")
                .as("the float weight and its Transpose are gone");
        // B = W^T is 3x4; its column n is W's row n: scales max|row| / 127.
        TensorProto q = g.getInitializer(0);
        assertThat(q.getDimsList()).containsExactly(3L, 4L);
        byte[] values = q.getRawData().toByteArray();
        assertThat(values[0]).isEqualTo((byte) 127);        // W[0][0] = 1.0 is row 0's largest
        assertThat(values[4]).isEqualTo((byte) -64);        // W[0][1] = -0.5
        assertThat(values[1]).isEqualTo((byte) 0);          // W[1][0] = 0 (an all-zero row keeps scale 1)
        assertThat(values[2]).isEqualTo((byte) -127);       // W[2][0] = -2.0
        ByteBuffer scales = g.getInitializer(1).getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(scales.getFloat(0)).isEqualTo(1.0f / 127f);
        assertThat(scales.getFloat(4)).isEqualTo(1.0f);
        assertThat(scales.getFloat(8)).isEqualTo(2.0f / 127f);
        assertThat(result.report().matMuls()).isEqualTo(1);
        assertThat(result.model().getMetadataPropsList()).extracting(StringStringEntryProto::getValue).contains("int8");
    }

    @Test
    void aWeightStoredAsBItselfIsQuantizedPerColumnToo() throws Exception {
        // W read as B = [K=4, N=3]: columns (1, 0, -2, 0.1), (-0.5, 0, 1, 0.2), (0.25, 0, 0.5, -0.3).
        GraphProto graph = GraphProto.newBuilder().setName("plain").addInitializer(Graphs.floats("b", W, 4, 3))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("mm").addInput("input").addInput("b").addOutput("output"))
                .addOutput(ValueInfoProto.newBuilder().setName("output")).build();
        Path file = dir.resolve("plain.onnx");
        OnnxModel.write(ModelProto.newBuilder().setGraph(graph).build(), file);
        GraphProto g = MatMulQuantizer.quantize(OnnxModel.read(file)).model().getGraph();
        TensorProto q = g.getInitializerList().stream().filter(t -> t.getName().equals("output_B_quantized")).findFirst().orElseThrow();
        assertThat(q.getDimsList()).containsExactly(4L, 3L);
        byte[] values = q.getRawData().toByteArray();
        assertThat(values[0]).isEqualTo((byte) 64);         // 1.0 / (2/127) = 63.5, half to even
        assertThat(values[1]).isEqualTo((byte) -64);        // -0.5 / (1/127) = -63.5
        assertThat(values[6]).isEqualTo((byte) -127);       // -2.0 is column 0's largest
        assertThat(values[8]).isEqualTo((byte) 127);        // 0.5 is column 2's largest
        ByteBuffer scales = g.getInitializerList().stream().filter(t -> t.getName().equals("output_B_scale")).findFirst().orElseThrow()
                .getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(scales.getFloat(0)).isEqualTo(2.0f / 127f);
        assertThat(scales.getFloat(4)).isEqualTo(1.0f / 127f);
        assertThat(scales.getFloat(8)).isEqualTo(0.5f / 127f);
    }

    @Test
    void externalDataOutsideTheModelsFolderIsNeverRead() throws Exception {
        Files.write(dir.resolve("secret"), new byte[48]);
        for (String location : new String[] {"../secret", "/etc/passwd", "sub/weights.bin", ".hidden"}) {
            assertThatThrownBy(() -> MatMulQuantizer.quantize(OnnxModel.read(linearModel(location))))
                    .as(location).hasMessageContaining("only a plain file next to the model is read");
        }
    }

    @Test
    void productsWithoutAConstantWeightStay() throws Exception {
        GraphProto graph = GraphProto.newBuilder().setName("attention")
                .addNode(NodeProto.newBuilder().setOpType("MatMul").addInput("q").addInput("k").addOutput("scores"))
                .addOutput(ValueInfoProto.newBuilder().setName("scores"))
                .addInitializer(TensorProto.newBuilder().setName("unused").setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(1)
                        .setRawData(ByteString.copyFrom(new byte[4]))).build();
        Path file = dir.resolve("attention.onnx");
        OnnxModel.write(ModelProto.newBuilder().setGraph(graph).build(), file);
        MatMulQuantizer.Result result = MatMulQuantizer.quantize(OnnxModel.read(file));
        assertThat(result.report().matMuls()).isZero();
        assertThat(result.report().skipped()).isEqualTo(1);
        assertThat(result.model().getGraph().getNode(0).getOpType()).isEqualTo("MatMul");
    }
}
