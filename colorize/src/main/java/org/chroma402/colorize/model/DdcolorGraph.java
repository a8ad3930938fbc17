package org.chroma402.colorize.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.chroma402.colorize.checkpoint.Checkpoint;
import org.chroma402.colorize.checkpoint.CheckpointException;
import org.chroma402.colorize.checkpoint.TensorEntry;

/**
 * The official DDColor architecture as an ONNX graph without weights, shipped in this jar with
 * its manifest (both written by {@code tools/ddcolor/export_graphs.py}). Every weight of the graph
 * is an initializer named by its state-dict key and stored as external data in one file at the
 * offset the manifest gives; {@link CheckpointInstaller} writes that file from a checkpoint.
 */
public final class DdcolorGraph {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<DdcolorArchitecture, DdcolorGraph> LOADED = new java.util.EnumMap<>(DdcolorArchitecture.class);

    /** A weight the graph reads: its key, shape and place in the weights file (float32, little-endian). */
    public record Weight(String key, long[] shape, long offset, long length) {
    }

    private final DdcolorArchitecture architecture;
    private final String graphResource;
    private final String graphSha256;
    private final long weightsBytes;
    private final Map<String, Weight> weights;
    private final Map<String, long[]> unused;

    private DdcolorGraph(DdcolorArchitecture architecture, String graphResource, String graphSha256, long weightsBytes,
            Map<String, Weight> weights, Map<String, long[]> unused) {
        this.architecture = architecture;
        this.graphResource = graphResource;
        this.graphSha256 = graphSha256;
        this.weightsBytes = weightsBytes;
        this.weights = Collections.unmodifiableMap(weights);
        this.unused = Collections.unmodifiableMap(unused);
    }

    /** The graph of an architecture, read from this jar once. */
    public static synchronized DdcolorGraph of(DdcolorArchitecture architecture) {
        return LOADED.computeIfAbsent(architecture, DdcolorGraph::read);
    }

    private static DdcolorGraph read(DdcolorArchitecture architecture) {
        String base = "graphs/ddcolor-" + architecture.id();
        try (InputStream in = DdcolorGraph.class.getResourceAsStream("/org/chroma402/colorize/" + base + ".json")) {
            if (in == null) {
                throw new IllegalStateException("this build has no " + base + ".json");
            }
            JsonNode m = JSON.readTree(in);
            Map<String, Weight> weights = new LinkedHashMap<>();
            for (JsonNode t : m.path("tensors")) {
                weights.put(t.path("key").asText(), new Weight(t.path("key").asText(), shape(t.path("shape")),
                        t.path("offset").asLong(), t.path("length").asLong()));
            }
            Map<String, long[]> unused = new LinkedHashMap<>();
            for (JsonNode t : m.path("unused")) {
                unused.put(t.path("key").asText(), shape(t.path("shape")));
            }
            if (!CheckpointInstaller.WEIGHTS_FILE.equals(m.path("weights_file").asText())) {
                throw new IllegalStateException(base + ".json names its weights " + m.path("weights_file").asText()
                        + ", not " + CheckpointInstaller.WEIGHTS_FILE);
            }
            return new DdcolorGraph(architecture, "/org/chroma402/colorize/graphs/" + m.path("graph").asText(),
                    m.path("graph_sha256").asText(), m.path("weights_bytes").asLong(), weights, unused);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long[] shape(JsonNode node) {
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asLong();
        }
        return out;
    }

    public DdcolorArchitecture architecture() {
        return architecture;
    }

    /** The weights the graph reads, in file order. */
    public Map<String, Weight> weights() {
        return weights;
    }

    public long weightsBytes() {
        return weightsBytes;
    }

    public String graphSha256() {
        return graphSha256;
    }

    /** The graph's bytes (about 1 MB: structure and a few constants, no weights). */
    public InputStream openGraph() throws IOException {
        InputStream in = DdcolorGraph.class.getResourceAsStream(graphResource);
        if (in == null) {
            throw new IOException("this build has no " + graphResource);
        }
        return in;
    }

    /**
     * Checks that a checkpoint is this network: every key the graph needs, with its shape and a
     * floating-point type, and no key the official network does not have. All problems are
     * reported together (the first few of each kind), each with its key.
     */
    public void check(Checkpoint checkpoint) throws CheckpointException {
        Map<String, TensorEntry> tensors = checkpoint.tensors();
        List<String> problems = new ArrayList<>();
        Set<String> missing = new TreeSet<>();
        for (Weight w : weights.values()) {
            TensorEntry t = tensors.get(w.key());
            if (t == null) {
                missing.add(w.key());
            } else if (!Arrays.equals(t.shape(), w.shape())) {
                problems.add(w.key() + " has shape " + t.shapeText() + " but " + architecture.title() + " needs "
                        + Arrays.toString(w.shape()));
            } else if (!t.dtype().isFloating()) {
                problems.add(w.key() + " holds " + t.dtype() + " values, not floating-point weights");
            }
        }
        Set<String> unexpected = new TreeSet<>();
        for (String key : tensors.keySet()) {
            if (!weights.containsKey(key) && !unused.containsKey(key)) {
                unexpected.add(key);
            }
        }
        if (!missing.isEmpty()) {
            problems.add(0, missing.size() + " missing key(s): " + first(missing));
        }
        if (!unexpected.isEmpty()) {
            problems.add(unexpected.size() + " unexpected key(s): " + first(unexpected));
        }
        if (!problems.isEmpty()) {
            String hint = !missing.isEmpty() && missing.size() == weights.size()
                    ? " (is this a DDColor checkpoint?)"
                    : otherArchitectureHint(tensors);
            throw new CheckpointException("the " + checkpoint.format() + " is not " + architecture.title() + hint + ": "
                    + String.join("; ", problems.subList(0, Math.min(problems.size(), 6))));
        }
    }

    private String otherArchitectureHint(Map<String, TensorEntry> tensors) {
        for (DdcolorArchitecture other : DdcolorArchitecture.values()) {
            if (other != architecture && of(other).weights.keySet().stream()
                    .allMatch(k -> tensors.containsKey(k) && Arrays.equals(tensors.get(k).shape(), of(other).weights.get(k).shape()))) {
                return " (it is " + other.title() + ")";
            }
        }
        return "";
    }

    private static String first(Set<String> keys) {
        List<String> list = new ArrayList<>(keys);
        String shown = String.join(", ", list.subList(0, Math.min(list.size(), 5)));
        return list.size() > 5 ? shown + ", …" : shown;
    }
}
