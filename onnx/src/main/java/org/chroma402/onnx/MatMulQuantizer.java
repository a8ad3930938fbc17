package org.chroma402.onnx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chroma402.onnx.proto.OnnxProto.AttributeProto;
import org.chroma402.onnx.proto.OnnxProto.GraphProto;
import org.chroma402.onnx.proto.OnnxProto.ModelProto;
import org.chroma402.onnx.proto.OnnxProto.NodeProto;
import org.chroma402.onnx.proto.OnnxProto.StringStringEntryProto;
import org.chroma402.onnx.proto.OnnxProto.TensorProto;

/**
 * INT8 for the matrix products with constant weights, as ONNX Runtime's dynamic quantization
 * does it: each {@code MatMul(A, B)} whose B is a weight (an initializer, or the transpose of one:
 * how PyTorch exports {@code nn.Linear} without constant folding) becomes
 * {@code DynamicQuantizeLinear(A)} → {@code MatMulInteger(A_q, B_q, A_zero)} → {@code Cast} →
 * {@code Mul(A_scale · B_scale)}, which ONNX Runtime fuses into one {@code DynamicQuantizeMatMul}
 * kernel. B is quantized symmetrically per output column (int8, zero point 0); A per tensor at run
 * time (uint8). Everything else stays float32, and weights that are no longer read are dropped
 * from the graph (they may stay in the external-data file).
 *
 * <p>A product whose B is an activation another pass already holds in uint8 (the
 * {@code DequantizeLinear} of a {@link ConvQuantizer} output, maybe through a {@code Reshape})
 * takes that integer tensor as it is: {@code MatMulInteger(A_q, B_q, A_zero, B_zero)}, with A
 * quantized at run time as above, so B is neither dequantized nor multiplied in float.
 */
public final class MatMulQuantizer {

    /** What was quantized. */
    public record Report(int matMuls, int integerActivations, int skipped, long floatWeightBytes, long int8WeightBytes) {
    }

    /** A quantized model and its report. */
    public record Result(ModelProto model, Report report) {
    }

    private MatMulQuantizer() {
    }

    public static Result quantize(OnnxModel source) throws IOException {
        ModelProto model = source.proto();
        GraphProto graph = model.getGraph();
        Map<String, TensorProto> initializers = Graphs.initializers(graph);
        Map<String, NodeProto> producers = Graphs.producers(graph);
        List<NodeProto> nodes = new ArrayList<>();
        List<TensorProto> added = new ArrayList<>();
        int quantized = 0;
        int skipped = 0;
        int activations = 0;
        long floatBytes = 0;
        long int8Bytes = 0;
        for (NodeProto node : graph.getNodeList()) {
            if (!node.getOpType().equals("MatMul") || !node.getDomain().isEmpty()) {
                nodes.add(node);
                continue;
            }
            Weight w = weight(node.getInput(1), initializers, producers, source);
            if (w == null) {
                List<NodeProto> integer = integerActivationProduct(node, initializers, producers);
                if (integer.isEmpty()) {
                    skipped++;
                    nodes.add(node);
                } else {
                    nodes.addAll(integer);
                    activations++;
                }
                continue;
            }
            String base = node.getOutput(0);
            SymmetricInt8.Quantized q = SymmetricInt8.perRow(w.values, w.cols);
            TensorProto qb = Graphs.tensor(base + "_B_quantized", TensorProto.DataType.INT8, transpose(q.values(), w.cols, w.rows),
                    w.rows, w.cols);
            TensorProto scale = Graphs.floats(base + "_B_scale", q.scales(), q.scales().length);
            added.add(qb);
            added.add(scale);
            nodes.addAll(integerProduct(node, qb.getName(), null, scale.getName()));
            quantized++;
            floatBytes += 4L * w.rows * w.cols;
            int8Bytes += (long) w.rows * w.cols + 4L * w.cols;
        }
        GraphProto.Builder out = graph.toBuilder().clearNode().addAllNode(nodes).addAllInitializer(added);
        Graphs.prune(out);
        ModelProto.Builder result = model.toBuilder().setGraph(out)
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("chroma402.precision").setValue("int8"));
        return new Result(result.build(), new Report(quantized, activations, skipped, floatBytes, int8Bytes));
    }

    /**
     * The nodes for {@code MatMul(A, [Reshape](DequantizeLinear(B_q, scale, zero)))} with a uint8
     * B_q and a per-tensor scale and zero point, read as they are; none when B is anything else.
     */
    private static List<NodeProto> integerActivationProduct(NodeProto node, Map<String, TensorProto> initializers,
            Map<String, NodeProto> producers) {
        NodeProto reshape = producers.get(node.getInput(1));
        NodeProto dq = reshape != null && reshape.getOpType().equals("Reshape") && reshape.getDomain().isEmpty()
                ? producers.get(reshape.getInput(0)) : reshape;
        if (dq == null || !dq.getOpType().equals("DequantizeLinear") || !dq.getDomain().isEmpty() || dq.getInputCount() != 3) {
            return List.of();
        }
        TensorProto scale = initializers.get(dq.getInput(1));
        TensorProto zero = initializers.get(dq.getInput(2));
        if (scale == null || zero == null || Graphs.elements(scale) != 1 || Graphs.elements(zero) != 1
                || zero.getDataType() != TensorProto.DataType.UINT8_VALUE) {
            return List.of();
        }
        String base = node.getOutput(0);
        List<NodeProto> out = new ArrayList<>();
        String b = dq.getInput(0);
        if (dq != reshape) {
            out.add(node("Reshape", base + "_B_reshape", List.of(b, reshape.getInput(1)), List.of(base + "_B_q")));
            b = base + "_B_q";
        }
        out.addAll(integerProduct(node, b, dq.getInput(2), dq.getInput(1)));
        return out;
    }

    /**
     * {@code matMul} with an integer B: A quantized at run time ({@code DynamicQuantizeLinear}),
     * {@code MatMulInteger}, and the int32 sums scaled back by A's scale times B's. {@code bZero}
     * is B's zero point, or null when B is symmetric (zero point 0).
     */
    private static List<NodeProto> integerProduct(NodeProto matMul, String b, String bZero, String bScale) {
        String base = matMul.getOutput(0);
        List<String> product = new ArrayList<>(List.of(base + "_A_q", b, base + "_A_zero"));
        if (bZero != null) {
            product.add(bZero);
        }
        return List.of(
                node("DynamicQuantizeLinear", base + "_quantize", List.of(matMul.getInput(0)),
                        List.of(base + "_A_q", base + "_A_scale", base + "_A_zero")),
                node("MatMulInteger", base + "_matmul_int", product, List.of(base + "_int32")),
                node("Cast", base + "_cast", List.of(base + "_int32"), List.of(base + "_float")).toBuilder()
                        .addAttribute(Graphs.intAttribute("to", TensorProto.DataType.FLOAT_VALUE)).build(),
                node("Mul", base + "_scales", List.of(base + "_A_scale", bScale), List.of(base + "_scale")),
                node("Mul", base + "_rescale", List.of(base + "_float", base + "_scale"), List.of(base)));
    }

    /**
     * A constant B of a MatMul, [K, N] as the product reads it, held as its transpose: one row of K
     * per output column, as it is quantized.
     */
    private record Weight(float[] values, int rows, int cols) {
    }

    private static Weight weight(String name, Map<String, TensorProto> initializers, Map<String, NodeProto> producers,
            OnnxModel source) throws IOException {
        TensorProto init = initializers.get(name);
        if (init != null) {
            if (init.getDimsCount() != 2 || init.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                return null;
            }
            int k = (int) init.getDims(0);
            int n = (int) init.getDims(1);
            return new Weight(transpose(source.floats(init), k, n), k, n);
        }
        NodeProto transpose = producers.get(name);
        if (transpose == null || !transpose.getOpType().equals("Transpose") || transpose.getInputCount() != 1) {
            return null;
        }
        TensorProto w = initializers.get(transpose.getInput(0));
        if (w == null || w.getDimsCount() != 2 || w.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            return null;
        }
        for (AttributeProto attribute : transpose.getAttributeList()) {
            if (attribute.getName().equals("perm") && !(attribute.getIntsCount() == 2 && attribute.getInts(0) == 1
                    && attribute.getInts(1) == 0)) {
                return null;
            }
        }
        // nn.Linear's weight is already [N, K].
        return new Weight(source.floats(w), (int) w.getDims(1), (int) w.getDims(0));
    }

    /** A row-major [rows, cols] matrix as [cols, rows]. */
    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }

    private static byte[] transpose(byte[] m, int rows, int cols) {
        byte[] t = new byte[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }

    private static NodeProto node(String op, String name, List<String> inputs, List<String> outputs) {
        return Graphs.node(op, name, inputs, outputs);
    }
}
