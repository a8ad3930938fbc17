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
 * The named models ({@code large}, {@code tiny}, and any the operator adds) and where their files
 * are. Names resolve to files in the models directory; a path to an {@code .onnx} file is
 * accepted wherever a name is.
 */
public final class ModelCatalog {
    /**
     * DDColor ConvNeXt-L as exported by FaceFusion (fp32, dynamic height and width). FaceFusion
     * publishes no digest, so none is pinned here; {@code models pull} prints the one it saw.
     */
    public static final ModelSpec LARGE = new ModelSpec("large", "ddcolor_large.onnx",
            URI.create("https://huggingface.co/facefusion/models-3.0.0/resolve/main/ddcolor.onnx"), null,
            "DDColor, ConvNeXt-L encoder: best quality");
    /**
     * DDColor ConvNeXt-T (ddcolor_paper_tiny). No reputable host publishes an fp32 export with a
     * digest, so there is no default URL: export it from the official weights with
     * {@code tools/export_ddcolor_onnx.py}, or set {@code models.tiny.url}.
     */
    public static final ModelSpec TINY = new ModelSpec("tiny", "ddcolor_tiny.onnx", null, null,
            "DDColor, ConvNeXt-T encoder: faster");

    private final Path directory;
    private final Map<String, ModelSpec> specs;

    public ModelCatalog(Path directory, Map<String, ModelSpec> specs) {
        this.directory = directory;
        this.specs = Collections.unmodifiableMap(new LinkedHashMap<>(specs));
    }

    /** The built-in large and tiny models. */
    public static Map<String, ModelSpec> defaults() {
        Map<String, ModelSpec> specs = new LinkedHashMap<>();
        specs.put(LARGE.name(), LARGE);
        specs.put(TINY.name(), TINY);
        return specs;
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

    /** The file a model name (or a path to an .onnx file) stands for; it may not exist yet. */
    public Path resolve(String nameOrPath) {
        ModelSpec spec = specs.get(nameOrPath);
        if (spec != null) {
            return directory.resolve(spec.fileName());
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
            Path file = directory.resolve(spec.fileName());
            long size = -1;
            boolean present = Files.isRegularFile(file);
            if (present) {
                try {
                    size = Files.size(file);
                } catch (IOException e) {
                    present = false;
                }
            }
            out.add(new Entry(spec, file, present, size));
        }
        return out;
    }
}
