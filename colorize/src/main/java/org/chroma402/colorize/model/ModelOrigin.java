package org.chroma402.colorize.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an installed model's weights come from, as far as Chroma402 can tell: {@code official}
 * only for a checkpoint whose SHA-256 is one of the authors' files this version pins (downloaded
 * or imported, it is the same file). Anything else (a seeded test checkpoint, a fine-tune, a
 * ready ONNX file, a model with no digest pinned) may be fine, but nothing here vouches for it,
 * so it is not sold under the official model's words.
 *
 * @param checkpointSha256 the installed checkpoint's digest; null for a ready ONNX file
 * @param source where it was installed from (a URL or a local path; for the operator, not for clients)
 */
public record ModelOrigin(boolean official, String checkpointSha256, String source) {

    /** The origin of the model whose graph is {@code graph}. */
    public static ModelOrigin of(Path graph) throws IOException {
        Optional<CheckpointInstaller.Record> record = CheckpointInstaller.Record.of(graph);
        if (record.isEmpty()) {
            return new ModelOrigin(false, null, graph.getFileName().toString());
        }
        String sha256 = record.get().checkpointSha256();
        return new ModelOrigin(ModelCatalog.isOfficialCheckpoint(sha256), sha256, record.get().source());
    }

    /**
     * How clients see the model described: the operator's {@code models.<name>.description} when
     * one is set, the built-in words when the weights are the official ones, and otherwise words
     * that say the weights are not.
     */
    public String description(ModelSpec spec) {
        ModelSpec builtIn = ModelCatalog.defaults().get(spec.name());
        boolean operatorWords = !spec.description().isEmpty() && (builtIn == null || !builtIn.description().equals(spec.description()));
        if (official || operatorWords) {
            return spec.description();
        }
        String network = spec.isCheckpoint() ? "DDColor-" + (spec.architecture() == DdcolorArchitecture.LARGE ? "L" : "T") : "DDColor";
        return network + " with weights that are not the authors' official checkpoint"
                + (checkpointSha256 == null ? "" : " (SHA-256 " + checkpointSha256.substring(0, Math.min(12, checkpointSha256.length())) + "…)")
                + ": its quality is not vouched for";
    }

    /** One line for the operator (log, {@code models import}) when the weights are not the official ones; empty when they are. */
    public Optional<String> warning(ModelSpec spec) {
        if (official) {
            return Optional.empty();
        }
        return Optional.of("model " + spec.name() + " holds weights that are not the authors' official checkpoint (from " + source
                + (checkpointSha256 == null ? "" : ", SHA-256 " + checkpointSha256) + "): /api/l402/models lists it with \"official\": false"
                + " and says so in its description; describe it yourself with models." + spec.name() + ".description");
    }
}
