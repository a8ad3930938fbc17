package org.chroma402.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.chroma402.onnx.proto.OnnxProto.AttributeProto;
import org.chroma402.onnx.proto.OnnxProto.GraphProto;
import org.chroma402.onnx.proto.OnnxProto.NodeProto;
import org.chroma402.onnx.proto.OnnxProto.TensorProto;

/** What the graph passes share: lookups by tensor name, small tensors and nodes, and pruning. */
final class Graphs {
    private Graphs() {
    }

    static Map<String, TensorProto> initializers(GraphProto graph) {
        Map<String, TensorProto> out = new LinkedHashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            out.put(t.getName(), t);
        }
        return out;
    }

    /** The node that computes each tensor. */
    static Map<String, NodeProto> producers(GraphProto graph) {
        Map<String, NodeProto> out = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            for (String o : n.getOutputList()) {
                out.put(o, n);
            }
        }
        return out;
    }

    /** The nodes that read each tensor, in graph order. */
    static Map<String, List<NodeProto>> consumers(GraphProto graph) {
        Map<String, List<NodeProto>> out = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            for (String i : n.getInputList()) {
                out.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
            }
        }
        return out;
    }

    static boolean isGraphOutput(GraphProto graph, String tensor) {
        return graph.getOutputList().stream().anyMatch(o -> o.getName().equals(tensor));
    }

    static long attributeInt(NodeProto node, String name, long otherwise) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return otherwise;
    }

    static long elements(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return tensor(name, TensorProto.DataType.FLOAT, b.array(), dims);
    }

    static TensorProto ints(String name, int[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return tensor(name, TensorProto.DataType.INT32, b.array(), dims);
    }

    static TensorProto longs(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return tensor(name, TensorProto.DataType.INT64, b.array(), values.length);
    }

    static TensorProto tensor(String name, TensorProto.DataType type, byte[] raw, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).setRawData(ByteString.copyFrom(raw));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    static NodeProto node(String op, String name, List<String> inputs, List<String> outputs) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addAllOutput(outputs).build();
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /**
     * Removes nodes none of whose outputs is read (by a node or as a graph output) and
     * initializers nothing reads, until nothing more goes: what a pass replaced (a float weight,
     * the nodes that computed it) leaves the graph. ONNX nodes have no side effects, so this is safe.
     */
    static void prune(GraphProto.Builder graph) {
        boolean changed = true;
        while (changed) {
            Set<String> read = new HashSet<>();
            graph.getNodeList().forEach(n -> read.addAll(n.getInputList()));
            graph.getOutputList().forEach(o -> read.add(o.getName()));
            List<NodeProto> keep = new ArrayList<>();
            for (NodeProto n : graph.getNodeList()) {
                if (n.getOutputList().stream().anyMatch(read::contains)) {
                    keep.add(n);
                }
            }
            changed = keep.size() != graph.getNodeCount();
            if (changed) {
                graph.clearNode().addAllNode(keep);
            }
            List<TensorProto> inits = new ArrayList<>();
            for (TensorProto t : graph.getInitializerList()) {
                if (read.contains(t.getName())) {
                    inits.add(t);
                }
            }
            if (inits.size() != graph.getInitializerCount()) {
                graph.clearInitializer().addAllInitializer(inits);
            }
        }
    }
}
