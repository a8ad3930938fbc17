package org.chroma402.colorize.model;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The named models ({@code large}, {@code tiny}, {@code artistic}, {@code paper}, and any the
 * operator adds) and where their files are. Names resolve to files in the models directory; a
 * path to an {@code .onnx} file is accepted wherever a name is.
 */
public final class ModelCatalog {
    /** Where the authors publish their weights; {@code models.hub-url} points elsewhere (a mirror). */
    public static final URI HUGGING_FACE = URI.create("https://huggingface.co");

    /** The models every server knows, with the authors' checkpoints (Apache-2.0) as their source. */
    public static Map<String, ModelSpec> defaults(URI hub) {
        String base = hub.toString().replaceAll("/+$", "");
        Map<String, ModelSpec> specs = new LinkedHashMap<>();
        // ddcolor_modelscope and ddcolor_paper_tiny as the DDColor-models repository holds them,
        // whose digests the authors' page lists; the per-model repositories publish none.
        specs.put("large", ModelSpec.checkpoint("large", DdcolorArchitecture.LARGE,
                URI.create(base + "/piddnad/DDColor-models/resolve/main/ddcolor_modelscope.pth"),
                "17c460d7e55b32a598370621d77173be59e03c24b0823f06821db23a50c263ce",
                "DDColor-L (ddcolor_modelscope): best quality", "ddcolor_large.onnx"));
        specs.put("tiny", ModelSpec.checkpoint("tiny", DdcolorArchitecture.TINY,
                URI.create(base + "/piddnad/DDColor-models/resolve/main/ddcolor_paper_tiny.pth"),
                "81dd643904f4664c3718513e3320ae3db0c567f0d3e18398606659adee7bfc17",
                "DDColor-T (ddcolor_paper_tiny): faster", "ddcolor_tiny.onnx"));
        specs.put("artistic", ModelSpec.checkpoint("artistic", DdcolorArchitecture.LARGE,
                URI.create(base + "/piddnad/ddcolor_artistic/resolve/main/pytorch_model.bin"), null,
                "DDColor-L (ddcolor_artistic): trained with artistic images, fewer colour artefacts", "ddcolor_artistic.onnx"));
        specs.put("paper", ModelSpec.checkpoint("paper", DdcolorArchitecture.LARGE,
                URI.create(base + "/piddnad/ddcolor_paper/resolve/main/pytorch_model.bin"), null,
                "DDColor-L (ddcolor_paper): the paper's model", "ddcolor_paper.onnx"));
        return specs;
    }

    /** Whether {@code sha256} is the digest of one of the authors' checkpoints this version pins (ddcolor_modelscope, ddcolor_paper_tiny). */
    public static boolean isOfficialCheckpoint(String sha256) {
        return sha256 != null && defaults().values().stream().map(ModelSpec::sha256).anyMatch(sha256::equals);
    }

    /** The built-in models with the authors' Hugging Face repositories as their source. */
    public static Map<String, ModelSpec> defaults() {
        return defaults(HUGGING_FACE);
    }

    private final Path directory;
    private final Map<String, ModelSpec> specs;

    public ModelCatalog(Path directory, Map<String, ModelSpec> specs) {
        this.directory = directory;
        this.specs = Collections.unmodifiableMap(new LinkedHashMap<>(specs));
    }

    public Path directory() {
        return directory;
    }

    public List<ModelSpec> specs() {
        return new ArrayList<>(specs.values());
    }

    public Optional<ModelSpec> spec(String name) {
        return Optional.ofNullable(specs.get(name));
    }

    /** The folder a checkpoint model is installed into. */
    public Path installDirectory(ModelSpec spec) {
        return directory.resolve(spec.name());
    }

    /** The graph of an installed checkpoint model, or the ONNX file of the spec; it may not exist yet. */
    public Path file(ModelSpec spec) {
        if (spec.isCheckpoint()) {
            Path installed = installDirectory(spec).resolve(CheckpointInstaller.GRAPH_FILE);
            Path onnx = directory.resolve(spec.fileName());
            return Files.isRegularFile(installed) || !Files.isRegularFile(onnx) ? installed : onnx;
        }
        return directory.resolve(spec.fileName());
    }

    /** The file a model name (or a path to an .onnx file) stands for; it may not exist yet. */
    public Path resolve(String nameOrPath) {
        ModelSpec spec = specs.get(nameOrPath);
        if (spec != null) {
            return file(spec);
        }
        if (nameOrPath.endsWith(".onnx") || nameOrPath.contains("/")) {
            return Path.of(nameOrPath);
        }
        throw new IllegalArgumentException("unknown model '" + nameOrPath + "'; known: " + String.join(", ", specs.keySet())
                + ", or give a path to an .onnx file");
    }

    /** One catalogue entry and whether its file is there. */
    public record Entry(ModelSpec spec, Path file, boolean present, long sizeBytes) {
    }

    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (ModelSpec spec : specs.values()) {
            Path file = file(spec);
            long size = -1;
            boolean present = Files.isRegularFile(file);
            if (present) {
                try {
                    size = Files.size(file);
                    Path weights = file.resolveSibling(CheckpointInstaller.WEIGHTS_FILE);
                    if (file.getFileName().toString().equals(CheckpointInstaller.GRAPH_FILE) && Files.isRegularFile(weights)) {
                        size += Files.size(weights);
                    }
                } catch (IOException e) {
                    present = false;
                }
            }
            out.add(new Entry(spec, file, present, size));
        }
        return out;
    }
}
