package org.chroma402.colorize.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.chroma402.colorize.checkpoint.Checkpoint;
import org.chroma402.colorize.checkpoint.CheckpointException;
import org.chroma402.colorize.checkpoint.CheckpointLimits;
import org.chroma402.onnx.EinsumAsMatMul;
import org.chroma402.onnx.OnnxModel;
import org.chroma402.onnx.proto.OnnxProto.ModelProto;

/**
 * Turns an official DDColor checkpoint into a model ONNX Runtime loads: the architecture's
 * weightless graph plus its weights file, written from the checkpoint after every key, shape and
 * type has been checked. The model is assembled in a hidden folder next to its place and moved
 * there in one step, so a refused or interrupted install leaves nothing behind and a server that
 * watches the folder never sees half a model.
 *
 * <p>An installed model is a folder: {@code model.onnx} (the graph), the weights file it names,
 * and {@code model.json} (where it came from, with the checkpoint's SHA-256).
 */
public final class CheckpointInstaller {
    /** The graph's file name inside an installed model's folder. */
    public static final String GRAPH_FILE = "model.onnx";
    /** The record of where an installed model came from. */
    public static final String RECORD_FILE = "model.json";
    /** The weights file inside an installed model's folder, which the graphs name as their external data. */
    public static final String WEIGHTS_FILE = "weights.bin";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a checkpoint came from, for the install record. */
    public record Source(String location, String sha256, long bytes) {
    }

    /** What an installed model's {@link #RECORD_FILE} says: its network and the checkpoint it was made from. */
    public record Record(DdcolorArchitecture architecture, String source, String checkpointSha256) {

        /** Whether the checkpoint was downloaded (not imported from a local file). */
        public boolean downloaded() {
            return source.startsWith("http://") || source.startsWith("https://");
        }

        /** The record of the model whose graph is {@code graph}; empty when there is none (not an installed checkpoint). */
        public static Optional<Record> of(Path graph) throws IOException {
            Path file = graph.resolveSibling(RECORD_FILE);
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            JsonNode r = JSON.readTree(file.toFile());
            try {
                return Optional.of(new Record(DdcolorArchitecture.parse(r.path("architecture").asText()),
                        r.path("source").asText(), r.path("checkpoint_sha256").asText()));
            } catch (IllegalArgumentException e) {
                throw new IOException(RECORD_FILE + " names no known architecture: " + e.getMessage(), e);
            }
        }
    }

    /** An installed model. */
    public record Installed(Path directory, Path graph, DdcolorArchitecture architecture, long weightsBytes) {
    }

    /** Told how many weight bytes have been written. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);
    }

    private final CheckpointLimits limits;
    private final ModelDownloader.FileCheck verify;

    /** @param verify run on the assembled graph before it is moved into place (an ONNX Runtime load) */
    public CheckpointInstaller(CheckpointLimits limits, ModelDownloader.FileCheck verify) {
        this.limits = limits;
        this.verify = verify;
    }

    /** Checks a checkpoint against an architecture without installing anything. */
    public void check(Path checkpointFile, DdcolorArchitecture architecture) throws IOException, CheckpointException {
        try (Checkpoint checkpoint = Checkpoint.open(checkpointFile, limits)) {
            DdcolorGraph.of(architecture).check(checkpoint);
        }
    }

    /** Installs a checkpoint file as the model folder {@code target}, replacing what is there only on success. */
    public Installed install(Path checkpointFile, DdcolorArchitecture architecture, Path target, Source source, Progress progress)
            throws IOException, CheckpointException, ModelDownloadException {
        try (Checkpoint checkpoint = Checkpoint.open(checkpointFile, limits)) {
            return install(checkpoint, architecture, target, source, progress);
        }
    }

    /** Installs an open checkpoint as the model folder {@code target}. */
    public Installed install(Checkpoint checkpoint, DdcolorArchitecture architecture, Path target, Source source, Progress progress)
            throws IOException, CheckpointException, ModelDownloadException {
        DdcolorGraph graph = DdcolorGraph.of(architecture);
        graph.check(checkpoint);
        Path parent = target.toAbsolutePath().getParent();
        OwnerOnly.createDirectories(parent);
        // A temporary folder is 0700 already; what is written in it is made 0600 before it moves into place.
        Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".installing-");
        try {
            writeWeights(checkpoint, graph, staging.resolve(WEIGHTS_FILE), progress);
            try (InputStream in = graph.openGraph()) {
                // The export as the official code computes it, with the colour decoder's last product in the form ONNX
                // Runtime runs fastest (EinsumAsMatMul: same sums, about a fifth less time for DDColor-T on a CPU).
                OnnxModel.write(EinsumAsMatMul.rewrite(ModelProto.parseFrom(in)).model(), staging.resolve(GRAPH_FILE));
            }
            writeRecord(staging.resolve(RECORD_FILE), architecture, graph, source);
            verify.check(staging.resolve(GRAPH_FILE));
            for (String file : new String[] {WEIGHTS_FILE, GRAPH_FILE, RECORD_FILE}) {
                OwnerOnly.restrict(staging.resolve(file));
            }
            OwnerOnly.restrict(staging);
            replace(staging, target);
            return new Installed(target, target.resolve(GRAPH_FILE), architecture, graph.weightsBytes());
        } finally {
            deleteTree(staging);
        }
    }

    private static void writeWeights(Checkpoint checkpoint, DdcolorGraph graph, Path file, Progress progress)
            throws IOException, CheckpointException {
        long largest = graph.weights().values().stream().mapToLong(DdcolorGraph.Weight::length).max().orElse(0);
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) largest).order(ByteOrder.LITTLE_ENDIAN);
        long done = 0;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (DdcolorGraph.Weight w : graph.weights().values()) {
                buffer.clear().limit((int) w.length());
                checkpoint.readFloat32(w.key(), buffer);
                if (buffer.hasRemaining()) {
                    throw new CheckpointException("tensor " + w.key() + " gave fewer values than its shape");
                }
                buffer.flip();
                long at = w.offset();
                while (buffer.hasRemaining()) {
                    at += out.write(buffer, at);
                }
                done += w.length();
                progress.update(done, graph.weightsBytes());
            }
            if (out.size() < graph.weightsBytes()) {
                out.write(ByteBuffer.allocate(1), graph.weightsBytes() - 1);
            }
            out.force(true);
        }
    }

    private static void writeRecord(Path file, DdcolorArchitecture architecture, DdcolorGraph graph, Source source)
            throws IOException {
        ObjectNode record = JSON.createObjectNode();
        record.put("architecture", "ddcolor-" + architecture.id());
        record.put("source", source.location());
        record.put("checkpoint_sha256", source.sha256());
        record.put("checkpoint_bytes", source.bytes());
        record.put("graph_sha256", graph.graphSha256());
        record.put("weights_bytes", graph.weightsBytes());
        record.put("installed_at", Instant.now().toString());
        Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
    }

    /** Moves the staged folder into place; a model already there is moved aside first, then deleted. */
    private static void replace(Path staging, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            move(target, old);
        }
        move(staging, target);
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
