package org.chroma402.onnx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.chroma402.onnx.proto.OnnxProto.GraphProto;
import org.chroma402.onnx.proto.OnnxProto.ModelProto;
import org.chroma402.onnx.proto.OnnxProto.NodeProto;
import org.chroma402.onnx.proto.OnnxProto.StringStringEntryProto;
import org.chroma402.onnx.proto.OnnxProto.TensorProto;
import org.chroma402.onnx.proto.OnnxProto.TypeProto;
import org.chroma402.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * Static INT8 for the large convolutions, in the QDQ form ONNX Runtime fuses into
 * {@code QLinearConv}: the activation going in and the one coming out (after the {@code Relu}
 * when one alone reads the convolution, which ONNX Runtime then folds into the quantization) pass
 * through {@code QuantizeLinear → DequantizeLinear} with a per-tensor uint8 scale and zero point
 * measured beforehand (calibration: run the float model on sample inputs, see
 * {@link #calibrationTensors} and {@link #exposing}); the weight is int8 per output channel
 * (symmetric), the bias int32 with scale input·weight, both behind a {@code DequantizeLinear}.
 *
 * <p>Only plain convolutions (one group) with at least {@link #MIN_WEIGHTS} weights are
 * quantized: for the small ones and the depthwise ones the conversions cost more than they save,
 * and the first and last layers of DDColor (3 and 2 channels) stay float32 that way. A weight may
 * be an initializer or DDColor's spectral normalisation of one ({@code W / (u · (W v))}), which
 * is folded here.
 */
public final class ConvQuantizer {
    /** Smallest weight (elements) worth quantizing. */
    public static final long MIN_WEIGHTS = 65_536;

    /** The range a tensor took during calibration. */
    public record Range(float min, float max) {
        public Range {
            if (!(min <= max)) {
                throw new IllegalArgumentException("range [" + min + ", " + max + "] is empty or not a number");
            }
        }

        public Range including(Range other) {
            return new Range(Math.min(min, other.min), Math.max(max, other.max));
        }
    }

    /** What was quantized. */
    public record Report(int convs, long floatWeightBytes, long int8WeightBytes) {
    }

    /** A quantized model and its report. */
    public record Result(ModelProto model, Report report) {
    }

    private ConvQuantizer() {
    }

    /** The float tensors whose ranges {@link #quantize} needs, in graph order. */
    public static List<String> calibrationTensors(OnnxModel source) {
        Set<String> out = new LinkedHashSet<>();
        GraphProto graph = source.proto().getGraph();
        Map<String, List<NodeProto>> consumers = Graphs.consumers(graph);
        for (Candidate conv : selected(graph)) {
            out.add(conv.node.getInput(0));
            out.add(quantizedOutput(conv.node, consumers, graph));
        }
        return List.copyOf(out);
    }

    /** The model with these tensors also among its outputs (float32), so that a runtime can measure them. */
    public static ModelProto exposing(ModelProto model, List<String> tensors) {
        GraphProto.Builder graph = model.getGraph().toBuilder();
        for (String t : tensors) {
            if (!Graphs.isGraphOutput(model.getGraph(), t)) {
                graph.addOutput(ValueInfoProto.newBuilder().setName(t).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
            }
        }
        return model.toBuilder().setGraph(graph).build();
    }

    /** The model with the selected convolutions in QDQ form; {@code ranges} must hold every {@link #calibrationTensors} entry. */
    public static Result quantize(OnnxModel source, Map<String, Range> ranges) throws IOException {
        GraphProto graph = source.proto().getGraph();
        Map<String, List<NodeProto>> consumers = Graphs.consumers(graph);
        Map<String, TensorProto> initializers = Graphs.initializers(graph);
        List<Candidate> convs = selected(graph);
        // Tensor → its QDQ pair, made once however many convolutions read or write it.
        Map<String, String> dequantized = new LinkedHashMap<>();
        Set<String> outputs = new LinkedHashSet<>();
        Map<String, Float> scales = new HashMap<>();
        List<TensorProto> added = new ArrayList<>();
        // The QDQ pair of a tensor goes right after the node that computes it; a convolution's weight and bias
        // dequantization right before it.
        Map<String, List<NodeProto>> after = new HashMap<>();
        Map<NodeProto, List<NodeProto>> before = new HashMap<>();
        Map<NodeProto, NodeProto> replaced = new HashMap<>();
        long floatBytes = 0;
        long int8Bytes = 0;
        for (Candidate candidate : convs) {
            NodeProto node = candidate.node;
            String in = node.getInput(0);
            String out = quantizedOutput(node, consumers, graph);
            outputs.add(out);
            for (String t : List.of(in, out)) {
                if (!dequantized.containsKey(t)) {
                    Range r = ranges.get(t);
                    if (r == null) {
                        throw new IllegalArgumentException("no calibration range for " + t);
                    }
                    float scale = addQdq(t, r, added, after);
                    dequantized.put(t, t + "_dq");
                    scales.put(t, scale);
                }
            }
            Conv conv = quantized(candidate, source);
            String base = node.getName().isEmpty() ? node.getOutput(0) : node.getName();
            float inputScale = scales.get(in);
            NodeProto.Builder q = node.toBuilder().setInput(0, in + "_dq").setInput(1, base + "_W_dq");
            int channels = conv.scales.length;
            added.add(Graphs.tensor(base + "_W_q", TensorProto.DataType.INT8, conv.values, conv.dims));
            added.add(Graphs.floats(base + "_W_scale", conv.scales, channels));
            added.add(Graphs.tensor(base + "_W_zero", TensorProto.DataType.INT8, new byte[channels], channels));
            List<NodeProto> prelude = new ArrayList<>();
            prelude.add(perChannelDq(base + "_W", base + "_W_q", base + "_W_scale", base + "_W_zero"));
            if (node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
                float[] bias = source.floats(initializers.get(node.getInput(2)));
                float[] biasScales = new float[channels];
                int[] biasValues = new int[channels];
                for (int c = 0; c < channels; c++) {
                    biasScales[c] = inputScale * conv.scales[c];
                    biasValues[c] = (int) Math.max(Integer.MIN_VALUE + 1L, Math.min(Integer.MAX_VALUE, Math.rint(bias[c] / biasScales[c])));
                }
                added.add(Graphs.ints(base + "_B_q", biasValues, channels));
                added.add(Graphs.floats(base + "_B_scale", biasScales, channels));
                added.add(Graphs.ints(base + "_B_zero", new int[channels], channels));
                prelude.add(perChannelDq(base + "_B", base + "_B_q", base + "_B_scale", base + "_B_zero"));
                q.setInput(2, base + "_B_dq");
            }
            before.put(node, prelude);
            replaced.put(node, q.build());
            floatBytes += 4L * conv.values.length;
            int8Bytes += conv.values.length + 4L * channels;
        }
        List<NodeProto> nodes = new ArrayList<>();
        Map<String, NodeProto> producers = Graphs.producers(graph);
        for (String tensor : dequantized.keySet()) {
            if (!producers.containsKey(tensor)) {
                // A graph input (or a constant): nothing computes it, so its pair comes first.
                nodes.addAll(after.remove(tensor));
            }
        }
        for (NodeProto node : graph.getNodeList()) {
            nodes.addAll(before.getOrDefault(node, List.of()));
            NodeProto n = replaced.getOrDefault(node, node);
            if (!replaced.containsKey(node)) {
                // A quantized convolution's output must have the quantization as its only reader (else ONNX Runtime
                // cannot fuse the two into QLinearConv): every other node reads the dequantized value, and one that
                // only asks for the shape reads the quantized one (same shape, no float copy made for it). A quantized
                // input's other readers keep the float value.
                NodeProto.Builder b = n.toBuilder();
                boolean shapeOnly = n.getDomain().isEmpty() && (n.getOpType().equals("Shape") || n.getOpType().equals("Size"));
                for (int i = 0; i < b.getInputCount(); i++) {
                    if (outputs.contains(b.getInput(i))) {
                        b.setInput(i, shapeOnly ? b.getInput(i) + "_q" : dequantized.get(b.getInput(i)));
                    }
                }
                n = b.build();
            }
            nodes.add(n);
            for (String o : node.getOutputList()) {
                List<NodeProto> qdq = after.remove(o);
                if (qdq != null) {
                    nodes.addAll(qdq);
                }
            }
        }
        GraphProto.Builder out = graph.toBuilder().clearNode().addAllNode(nodes).addAllInitializer(added);
        Graphs.prune(out);
        ModelProto result = source.proto().toBuilder().setGraph(out)
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("chroma402.conv-int8").setValue(String.valueOf(convs.size())))
                .build();
        return new Result(result, new Report(convs.size(), floatBytes, int8Bytes));
    }

    /** uint8, asymmetric, the range widened to hold 0 (as ONNX Runtime's calibrators do); returns the scale. */
    private static float addQdq(String tensor, Range r, List<TensorProto> added, Map<String, List<NodeProto>> after) {
        float min = Math.min(r.min(), 0f);
        float max = Math.max(r.max(), 0f);
        float scale = max > min ? (max - min) / 255f : 1f;
        int zero = (int) Math.max(0, Math.min(255, Math.rint(-min / scale)));
        added.add(Graphs.floats(tensor + "_scale", new float[] {scale}));
        added.add(Graphs.tensor(tensor + "_zero", TensorProto.DataType.UINT8, new byte[] {(byte) zero}));
        after.put(tensor, List.of(
                Graphs.node("QuantizeLinear", tensor + "_quantize", List.of(tensor, tensor + "_scale", tensor + "_zero"),
                        List.of(tensor + "_q")),
                Graphs.node("DequantizeLinear", tensor + "_dequantize", List.of(tensor + "_q", tensor + "_scale", tensor + "_zero"),
                        List.of(tensor + "_dq"))));
        return scale;
    }

    private static NodeProto perChannelDq(String base, String values, String scale, String zero) {
        return Graphs.node("DequantizeLinear", base + "_dequantize", List.of(values, scale, zero), List.of(base + "_dq")).toBuilder()
                .addAttribute(Graphs.intAttribute("axis", 0)).build();
    }

    /** The Relu's output when a Relu is the convolution's only reader (ONNX Runtime folds it into the quantization), else the convolution's. */
    private static String quantizedOutput(NodeProto conv, Map<String, List<NodeProto>> consumers, GraphProto graph) {
        String out = conv.getOutput(0);
        List<NodeProto> readers = consumers.getOrDefault(out, List.of());
        if (readers.size() == 1 && readers.get(0).getOpType().equals("Relu") && !Graphs.isGraphOutput(graph, out)) {
            return readers.get(0).getOutput(0);
        }
        return out;
    }

    /** A convolution to quantize and where its weight comes from; nothing read yet. */
    private record Candidate(NodeProto node, Weight weight) {
    }

    /** A convolution's weight in int8, per output channel. */
    private record Conv(byte[] values, float[] scales, long[] dims) {
    }

    /** Plain convolutions with a constant weight of at least {@link #MIN_WEIGHTS}, told from the graph alone. */
    private static List<Candidate> selected(GraphProto graph) {
        Map<String, TensorProto> initializers = Graphs.initializers(graph);
        Map<String, NodeProto> producers = Graphs.producers(graph);
        List<Candidate> out = new ArrayList<>();
        for (NodeProto node : graph.getNodeList()) {
            if (!node.getOpType().equals("Conv") || !node.getDomain().isEmpty() || Graphs.attributeInt(node, "group", 1) != 1
                    || node.getInputCount() > 2 && !node.getInput(2).isEmpty() && !initializers.containsKey(node.getInput(2))) {
                continue;
            }
            Weight w = weight(node.getInput(1), initializers, producers);
            if (w != null && Graphs.elements(w.w) >= MIN_WEIGHTS) {
                out.add(new Candidate(node, w));
            }
        }
        return out;
    }

    /** Reads a candidate's weight and quantizes it per output channel ({@link SymmetricInt8}). */
    private static Conv quantized(Candidate candidate, OnnxModel source) throws IOException {
        long[] dims = dims(candidate.weight.w);
        SymmetricInt8.Quantized q = SymmetricInt8.perRow(candidate.weight.values(source), (int) dims[0]);
        return new Conv(q.values(), q.scales(), dims);
    }

    /** A 4-D float weight W, spectrally normalised with u and v when they are set. */
    private record Weight(TensorProto w, TensorProto u, TensorProto v) {
        float[] values(OnnxModel source) throws IOException {
            float[] values = source.floats(w);
            if (u == null) {
                return values;
            }
            float[] us = source.floats(u);
            float[] vs = source.floats(v);
            // torch: sigma = dot(u, mv(W.reshape(rows, -1), v)); weight = W / sigma.
            double s = 0;
            for (int r = 0; r < us.length; r++) {
                double dot = 0;
                for (int k = 0; k < vs.length; k++) {
                    dot += (double) values[r * vs.length + k] * vs[k];
                }
                s += us[r] * (double) (float) dot;
            }
            float sigma = (float) s;
            for (int i = 0; i < values.length; i++) {
                values[i] /= sigma;
            }
            return values;
        }
    }

    /** A 4-D float weight: an initializer, or {@code Div(W, MatMul(u, MatMul(Reshape(W), v)))} as spectral_norm exports. */
    private static Weight weight(String name, Map<String, TensorProto> initializers, Map<String, NodeProto> producers) {
        TensorProto init = initializers.get(name);
        if (init != null) {
            return isFloat4d(init) ? new Weight(init, null, null) : null;
        }
        NodeProto div = producers.get(name);
        if (div == null || !div.getOpType().equals("Div") || !initializers.containsKey(div.getInput(0))) {
            return null;
        }
        TensorProto w = initializers.get(div.getInput(0));
        NodeProto sigma = producers.get(div.getInput(1));
        if (!isFloat4d(w) || sigma == null || !sigma.getOpType().equals("MatMul") || !initializers.containsKey(sigma.getInput(0))) {
            return null;
        }
        NodeProto wv = producers.get(sigma.getInput(1));
        if (wv == null || !wv.getOpType().equals("MatMul") || !initializers.containsKey(wv.getInput(1))) {
            return null;
        }
        NodeProto reshape = producers.get(wv.getInput(0));
        if (reshape == null || !reshape.getOpType().equals("Reshape") || !reshape.getInput(0).equals(w.getName())) {
            return null;
        }
        TensorProto u = initializers.get(sigma.getInput(0));
        TensorProto v = initializers.get(wv.getInput(1));
        long rows = w.getDims(0);
        if (Graphs.elements(u) != rows || rows * Graphs.elements(v) != Graphs.elements(w)) {
            return null;
        }
        return new Weight(w, u, v);
    }

    private static boolean isFloat4d(TensorProto t) {
        return t.getDimsCount() == 4 && t.getDataType() == TensorProto.DataType.FLOAT_VALUE;
    }

    private static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }
}
