package org.chroma402.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chroma402.onnx.proto.OnnxProto.AttributeProto;
import org.chroma402.onnx.proto.OnnxProto.GraphProto;
import org.chroma402.onnx.proto.OnnxProto.ModelProto;
import org.chroma402.onnx.proto.OnnxProto.NodeProto;
import org.chroma402.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.chroma402.onnx.proto.OnnxProto.TensorProto;

/**
 * DDColor's colour decoder ends in {@code einsum("bqc,bchw->bqhw", queries, features)}, where
 * the features are a pixel shuffle ({@code DepthToSpace}, CRD) of a convolution's output, padded
 * and blurred ({@code Pad}, {@code AveragePool}) at full resolution. ONNX Runtime runs that
 * Einsum through its general kernel, and the shuffle, pads and blur move 256 channels of
 * full-resolution floats. This pass writes the product as a batched {@code MatMul} and, when the
 * features come from such a chain, takes the product first, on the convolution's output
 * (grouped by shuffle position), and shuffles, pads and blurs the 100 query channels instead:
 * the same sums (shuffle, pad and blur act on each channel alone and linearly, the product mixes
 * channels at one pixel), with float32 rounding that may differ in the last bits.
 *
 * <p>Needs opset 15 or later (Shape with start and end); other Einsums stay.
 */
public final class EinsumAsMatMul {
    private static final String EQUATION = "bqc,bchw->bqhw";
    private static final int MAX_CHAIN = 8;

    private EinsumAsMatMul() {
    }

    /** The model with every such Einsum rewritten; how many there were, and how many shuffles went after the product. */
    public record Result(ModelProto model, int rewritten, int hoisted) {
    }

    public static Result rewrite(ModelProto model) {
        long opset = model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(OperatorSetIdProto::getVersion).max().orElse(0);
        GraphProto graph = model.getGraph();
        Map<String, NodeProto> producers = Graphs.producers(graph);
        Map<String, List<NodeProto>> consumers = Graphs.consumers(graph);
        List<NodeProto> nodes = new ArrayList<>();
        int rewritten = 0;
        int hoisted = 0;
        for (NodeProto node : graph.getNodeList()) {
            if (opset < 15 || !node.getOpType().equals("Einsum") || !node.getDomain().isEmpty() || node.getInputCount() != 2
                    || !EQUATION.equals(equation(node))) {
                nodes.add(node);
                continue;
            }
            String base = node.getName().isEmpty() ? node.getOutput(0) : node.getName();
            String a = node.getInput(0);
            List<NodeProto> chain = shuffleChain(node.getInput(1), producers, consumers, graph);
            if (chain.isEmpty()) {
                String b = node.getInput(1);
                nodes.add(constant(base + "_flat_shape", Graphs.longs(base + "_flat_shape_value", 0, 0, -1)));
                nodes.add(Graphs.node("Reshape", base + "_flatten", List.of(b, base + "_flat_shape"), List.of(base + "_flat")));
                nodes.add(Graphs.node("MatMul", base + "_matmul", List.of(a, base + "_flat"), List.of(base + "_product")));
                nodes.add(shape(base + "_bq", a, 0, 2));
                nodes.add(shape(base + "_hw", b, 2, 4));
                nodes.add(concat(base + "_shape", List.of(base + "_bq", base + "_hw")));
                nodes.add(Graphs.node("Reshape", base + "_unflatten", List.of(base + "_product", base + "_shape"),
                        List.of(node.getOutput(0))));
            } else {
                // chain[0] is the DepthToSpace; r = [n, c·s², h, w] before it, grouped [n, c, s²·h·w] for the product.
                String r = chain.get(0).getInput(0);
                nodes.add(constant(base + "_zero", Graphs.longs(base + "_zero_value", 0)));
                nodes.add(constant(base + "_rest", Graphs.longs(base + "_rest_value", -1)));
                nodes.add(shape(base + "_c", a, 2, 3));
                nodes.add(concat(base + "_grouped_shape", List.of(base + "_zero", base + "_c", base + "_rest")));
                nodes.add(Graphs.node("Reshape", base + "_group", List.of(r, base + "_grouped_shape"), List.of(base + "_grouped")));
                nodes.add(Graphs.node("MatMul", base + "_matmul", List.of(a, base + "_grouped"), List.of(base + "_product")));
                nodes.add(shape(base + "_n", a, 0, 1));
                nodes.add(shape(base + "_hw", r, 2, 4));
                nodes.add(concat(base + "_shape", List.of(base + "_n", base + "_rest", base + "_hw")));
                nodes.add(Graphs.node("Reshape", base + "_unflatten", List.of(base + "_product", base + "_shape"), List.of(base + "_s0")));
                String previous = base + "_s0";
                for (int i = 0; i < chain.size(); i++) {
                    String out = i == chain.size() - 1 ? node.getOutput(0) : base + "_s" + (i + 1);
                    NodeProto.Builder copy = chain.get(i).toBuilder().setName(base + "_" + chain.get(i).getOpType().toLowerCase() + i)
                            .setInput(0, previous).clearOutput().addOutput(out);
                    nodes.add(copy.build());
                    previous = out;
                }
                hoisted++;
            }
            rewritten++;
        }
        GraphProto.Builder out = graph.toBuilder().clearNode().addAllNode(nodes);
        Graphs.prune(out);
        return new Result(model.toBuilder().setGraph(out).build(), rewritten, hoisted);
    }

    /**
     * The nodes from a CRD DepthToSpace to {@code features}, in order, if every one of them acts on
     * each channel alone and linearly (DepthToSpace, AveragePool, Pad by edge or reflection or with
     * zeros) and is the only reader of what it reads; else none.
     */
    private static List<NodeProto> shuffleChain(String features, Map<String, NodeProto> producers,
            Map<String, List<NodeProto>> consumers, GraphProto graph) {
        List<NodeProto> chain = new ArrayList<>();
        String t = features;
        // DDColor's chain is four nodes; a much longer one is not what this pass is for, and the bound keeps a hostile file cheap.
        while (chain.size() < MAX_CHAIN) {
            NodeProto p = producers.get(t);
            if (p == null || !p.getDomain().isEmpty() || consumers.getOrDefault(t, List.of()).size() != 1 || Graphs.isGraphOutput(graph, t)) {
                return List.of();
            }
            chain.add(0, p);
            switch (p.getOpType()) {
                case "DepthToSpace" -> {
                    return "CRD".equals(stringAttribute(p, "mode")) ? chain : List.of();
                }
                case "AveragePool" -> { }
                case "Pad" -> {
                    String mode = stringAttribute(p, "mode");
                    boolean zeros = mode == null || mode.equals("constant");
                    // A constant other than zero is not linear; only an absent value (zero) is taken.
                    if (!(zeros ? p.getInputCount() <= 2 || p.getInput(2).isEmpty() : mode.equals("edge") || mode.equals("reflect"))
                            || p.getInputCount() > 3 && !p.getInput(3).isEmpty()) {
                        return List.of();
                    }
                }
                default -> {
                    return List.of();
                }
            }
            t = p.getInput(0);
        }
        return List.of();
    }

    private static NodeProto constant(String name, TensorProto value) {
        return Graphs.node("Constant", name, List.of(), List.of(name)).toBuilder()
                .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(value)).build();
    }

    private static NodeProto concat(String name, List<String> inputs) {
        return Graphs.node("Concat", name, inputs, List.of(name)).toBuilder().addAttribute(Graphs.intAttribute("axis", 0)).build();
    }

    private static NodeProto shape(String name, String tensor, long start, long end) {
        return Graphs.node("Shape", name, List.of(tensor), List.of(name)).toBuilder()
                .addAttribute(Graphs.intAttribute("start", start)).addAttribute(Graphs.intAttribute("end", end)).build();
    }

    private static String equation(NodeProto node) {
        String s = stringAttribute(node, "equation");
        return s == null ? null : s.replace(" ", "");
    }

    private static String stringAttribute(NodeProto node, String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getS().toStringUtf8();
            }
        }
        return null;
    }
}
