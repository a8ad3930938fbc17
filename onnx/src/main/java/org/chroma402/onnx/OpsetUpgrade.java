package org.chroma402.onnx;

import java.util.ArrayList;
import java.util.List;
import org.chroma402.onnx.proto.OnnxProto.AttributeProto;
import org.chroma402.onnx.proto.OnnxProto.GraphProto;
import org.chroma402.onnx.proto.OnnxProto.ModelProto;
import org.chroma402.onnx.proto.OnnxProto.NodeProto;
import org.chroma402.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.chroma402.onnx.proto.OnnxProto.TensorProto;

/**
 * Raises a graph's default-domain opset to {@value #TARGET}, the first one with per-axis
 * {@code QuantizeLinear}/{@code DequantizeLinear} (the {@code axis} attribute {@link ConvQuantizer}
 * writes for per-channel weights). PyTorch exports at opset 12 by default for DDColor
 * (the official {@code export_onnx.py} and ours), and ONNX Runtime refuses such a graph once
 * a per-channel dequantization is in it.
 *
 * <p>Only what changed meaning on the way is rewritten, the way ONNX's own version converter does
 * (opset 13 changed the rest only by accepting more element types, bfloat16 mostly):
 * <ul>
 * <li>{@code Unsqueeze}, {@code Squeeze}, {@code ReduceSum} ({@code axes}) and {@code Split}
 *     ({@code split}) take as an input what was an attribute: a {@code Constant} node feeds it;</li>
 * <li>{@code Softmax}, {@code LogSoftmax} and {@code Hardmax} worked on the input flattened to two
 *     dimensions at {@code axis} (default 1), and from 13 along {@code axis} alone (default -1): the same
 *     within the last axis, otherwise written as {@code Flatten → op(axis=-1) → Reshape} back to the input's shape;</li>
 * <li>from opset 11, {@code Dropout}'s {@code ratio} attribute becomes its input (inference ignores it either way).</li>
 * </ul>
 * A {@code Resize} with {@code tf_half_pixel_for_nn} (dropped in 13), a graph below opset 11 (many more
 * operators changed since), and model-local functions are refused: the caller keeps the graph as it is.
 * Subgraphs ({@code If}, {@code Loop}, {@code Scan}) are converted with their parents.
 */
public final class OpsetUpgrade {
    /** The opset the upgraded graph imports. */
    public static final int TARGET = 13;
    /** The lowest opset this pass upgrades from. */
    public static final int LOWEST = 11;

    /** What became of the model. */
    public sealed interface Outcome permits Upgraded, Refused {
    }

    /** The model at {@link #TARGET} or later; {@code from} the opset it had, {@code rewritten} the nodes that changed. */
    public record Upgraded(ModelProto model, long from, int rewritten) implements Outcome {
    }

    /** Why the model cannot be upgraded, said for an operator. */
    public record Refused(String reason) implements Outcome {
    }

    private OpsetUpgrade() {
    }

    /** The model's default-domain opset ({@code ""} or {@code "ai.onnx"}), 0 when it imports none. */
    public static long opset(ModelProto model) {
        return model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(OperatorSetIdProto::getVersion).max().orElse(0);
    }

    /** The model at opset {@value #TARGET} or later: as it is when it already is, else converted, or why not. */
    public static Outcome toTarget(ModelProto model) {
        long from = opset(model);
        if (from >= TARGET) {
            return new Upgraded(model, from, 0);
        }
        if (from < LOWEST) {
            return new Refused("the graph is at ONNX opset " + from + "; INT8 needs opset " + TARGET
                    + " (per-channel DequantizeLinear) and graphs below opset " + LOWEST + " are not converted: export it at opset "
                    + TARGET + " or later");
        }
        if (model.getFunctionsCount() > 0) {
            return new Refused("the graph at ONNX opset " + from + " has model-local functions, which are not converted to opset "
                    + TARGET + ": export it at opset " + TARGET + " or later");
        }
        Converter converter = new Converter(from);
        GraphProto graph;
        try {
            graph = converter.graph(model.getGraph());
        } catch (Unconvertible e) {
            return new Refused("the graph at ONNX opset " + from + " cannot be converted to opset " + TARGET + ": " + e.getMessage());
        }
        ModelProto.Builder out = model.toBuilder().setGraph(graph).clearOpsetImport();
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            boolean main = o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx");
            out.addOpsetImport(main ? o.toBuilder().setVersion(TARGET).build() : o);
        }
        return new Upgraded(out.build(), from, converter.rewritten);
    }

    /** A node this pass cannot write at opset 13 with the same meaning. */
    private static final class Unconvertible extends Exception {
        Unconvertible(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Converter {
        private final long from;
        private int rewritten;
        private int names;

        Converter(long from) {
            this.from = from;
        }

        GraphProto graph(GraphProto graph) throws Unconvertible {
            List<NodeProto> nodes = new ArrayList<>();
            for (NodeProto node : graph.getNodeList()) {
                NodeProto n = subgraphs(node);
                if (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")) {
                    int before = nodes.size();
                    convert(n, nodes);
                    if (nodes.size() != before + 1 || nodes.get(before) != n) {
                        rewritten++;
                    }
                } else {
                    nodes.add(n);
                }
            }
            return graph.toBuilder().clearNode().addAllNode(nodes).build();
        }

        private NodeProto subgraphs(NodeProto node) throws Unconvertible {
            if (node.getAttributeList().stream().noneMatch(a -> a.hasG() || a.getGraphsCount() > 0)) {
                return node;
            }
            NodeProto.Builder b = node.toBuilder();
            for (int i = 0; i < b.getAttributeCount(); i++) {
                AttributeProto a = b.getAttribute(i);
                AttributeProto.Builder ab = a.toBuilder();
                if (a.hasG()) {
                    ab.setG(graph(a.getG()));
                }
                for (int g = 0; g < a.getGraphsCount(); g++) {
                    ab.setGraphs(g, graph(a.getGraphs(g)));
                }
                b.setAttribute(i, ab);
            }
            return b.build();
        }

        /** Appends {@code node} as opset 13 writes it (one node or several) to {@code out}. */
        private void convert(NodeProto node, List<NodeProto> out) throws Unconvertible {
            switch (node.getOpType()) {
                case "Unsqueeze", "Squeeze", "ReduceSum" -> attributeToInput(node, "axes", 1, out);
                case "Split" -> attributeToInput(node, "split", 1, out);
                case "Softmax", "LogSoftmax", "Hardmax" -> softmax(node, out);
                case "Resize" -> {
                    AttributeProto mode = attribute(node, "coordinate_transformation_mode");
                    if (mode != null && mode.getS().toStringUtf8().equals("tf_half_pixel_for_nn")) {
                        throw new Unconvertible("Resize " + describe(node) + " uses coordinate_transformation_mode tf_half_pixel_for_nn, "
                                + "which opset " + TARGET + " no longer has");
                    }
                    out.add(node);
                }
                case "Dropout" -> {
                    AttributeProto ratio = attribute(node, "ratio");
                    if (from >= 12 || ratio == null) {
                        out.add(node);
                    } else {
                        // Dropout-10's ratio attribute is Dropout-12's second input (inference ignores both).
                        String name = fresh(node, "ratio");
                        out.add(constant(name, Graphs.floats(name + "_value", new float[] {ratio.getF()})));
                        out.add(withoutAttribute(node, "ratio").toBuilder().clearInput().addInput(node.getInput(0)).addInput(name).build());
                    }
                }
                default -> out.add(node);
            }
        }

        /** {@code op(x, attr=[…])} → {@code op(x, Constant([…]))}, the constant at {@code position} (after any inputs before it). */
        private void attributeToInput(NodeProto node, String attribute, int position, List<NodeProto> out) throws Unconvertible {
            AttributeProto a = attribute(node, attribute);
            if (a == null) {
                // Absent means the same in both: every axis (Squeeze, ReduceSum), equal parts (Split).
                out.add(node);
                return;
            }
            if (node.getInputCount() > position) {
                throw new Unconvertible(node.getOpType() + " " + describe(node) + " has both a " + attribute + " attribute and input");
            }
            String name = fresh(node, attribute);
            long[] values = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            out.add(constant(name, Graphs.longs(name + "_value", values)));
            NodeProto.Builder b = withoutAttribute(node, attribute).toBuilder();
            while (b.getInputCount() < position) {
                b.addInput("");
            }
            out.add(b.addInput(name).build());
        }

        /** Opset 12's coerce-to-2D semantics, exactly: along the last axis as it is, else flattened and reshaped back. */
        private void softmax(NodeProto node, List<NodeProto> out) {
            long axis = Graphs.attributeInt(node, "axis", 1);
            NodeProto plain = withoutAttribute(node, "axis").toBuilder().addAttribute(Graphs.intAttribute("axis", -1)).build();
            if (axis == -1) {
                out.add(plain);
                return;
            }
            String x = node.getInput(0);
            String shape = fresh(node, "shape");
            String flat = fresh(node, "flat");
            String y = fresh(node, "2d");
            out.add(Graphs.node("Shape", shape, List.of(x), List.of(shape)));
            out.add(Graphs.node("Flatten", flat, List.of(x), List.of(flat)).toBuilder().addAttribute(Graphs.intAttribute("axis", axis)).build());
            out.add(plain.toBuilder().setName(y).setInput(0, flat).setOutput(0, y).build());
            out.add(Graphs.node("Reshape", fresh(node, "unflatten"), List.of(y, shape), List.of(node.getOutput(0))));
        }

        private String fresh(NodeProto node, String what) {
            String base = node.getName().isEmpty() ? node.getOutput(0) : node.getName();
            return base + "_opset" + TARGET + "_" + what + "_" + names++;
        }
    }

    private static NodeProto constant(String name, TensorProto value) {
        return Graphs.node("Constant", name, List.of(), List.of(name)).toBuilder().addAttribute(AttributeProto.newBuilder().setName("value")
                .setType(AttributeProto.AttributeType.TENSOR).setT(value)).build();
    }

    private static AttributeProto attribute(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst().orElse(null);
    }

    private static NodeProto withoutAttribute(NodeProto node, String name) {
        NodeProto.Builder b = node.toBuilder().clearAttribute();
        node.getAttributeList().stream().filter(a -> !a.getName().equals(name)).forEach(b::addAttribute);
        return b.build();
    }

    private static String describe(NodeProto node) {
        return "'" + (node.getName().isEmpty() ? node.getOutput(0) : node.getName()) + "'";
    }
}
