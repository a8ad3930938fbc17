package org.chroma402.app.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.model.ModelCatalog;
import org.chroma402.colorize.model.ModelSpec;
import org.chroma402.colorize.pipeline.AbUpsampling;
import org.chroma402.colorize.pipeline.EngineSettings;
import org.chroma402.colorize.pipeline.SessionSettings;

/**
 * Chroma402's whole configuration, built once from {@link Settings} and validated. Each part is
 * the record its module takes.
 */
public record Chroma402Config(Path dataDir, ModelCatalog models, SessionSettings session, EngineSettings engine,
        ImageLimits limits, AbUpsampling upsampling, float jpegQuality) {

    public static Chroma402Config from(Settings s) {
        Path dataDir = s.path("data-dir", Path.of("data"));
        Path modelsDir = s.path("models.dir", dataDir.resolve("models"));
        Map<String, ModelSpec> specs = ModelCatalog.defaults();
        for (String name : s.names("models")) {
            ModelSpec base = specs.getOrDefault(name, new ModelSpec(name, name + ".onnx", null, null, ""));
            String prefix = "models." + name + ".";
            URI url = s.get(prefix + "url").map(ConfigParsing::uri).orElse(base.url());
            try {
                specs.put(name, new ModelSpec(name, s.string(prefix + "file", base.fileName()), url,
                        s.get(prefix + "sha256").orElse(base.sha256()), s.string(prefix + "description", base.description())));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("models." + name + ": " + e.getMessage());
            }
        }
        SessionSettings session;
        EngineSettings engine;
        ImageLimits limits;
        try {
            session = new SessionSettings(s.integer("engine.intra-op-threads", 0), s.integer("engine.inter-op-threads", 1),
                    s.bool("engine.cuda", false), s.integer("engine.cuda-device", 0), s.integer("models.input-size", 512));
            engine = new EngineSettings(s.integer("engine.concurrent-runs", 1), s.integer("engine.max-batch", 4),
                    s.integer("engine.max-queued", 16));
            limits = new ImageLimits(s.bytes("limits.max-image-bytes", ImageLimits.DEFAULT_MAX_ENCODED_BYTES),
                    Math.round(s.decimal("limits.max-megapixels", 40) * 1_000_000));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        AbUpsampling upsampling;
        try {
            upsampling = AbUpsampling.valueOf(s.string("models.upsampling", "nearest").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("models.upsampling must be nearest or bilinear");
        }
        double quality = s.decimal("output.jpeg-quality", 0.92);
        if (quality <= 0 || quality > 1) {
            throw new ConfigException("output.jpeg-quality must be between 0 and 1, got " + quality);
        }
        return new Chroma402Config(dataDir, new ModelCatalog(modelsDir, new LinkedHashMap<>(specs)), session, engine,
                limits, upsampling, (float) quality);
    }
}
