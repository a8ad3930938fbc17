package org.chroma402.app.config;

import static org.chroma402.app.config.SettingRegistry.*;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.model.DdcolorArchitecture;
import org.chroma402.colorize.model.DownloadLimits;
import org.chroma402.colorize.model.ModelCatalog;
import org.chroma402.colorize.model.ModelSpec;
import org.chroma402.colorize.model.Precision;
import org.chroma402.colorize.pipeline.AbUpsampling;
import org.chroma402.colorize.pipeline.EngineSettings;
import org.chroma402.colorize.pipeline.SessionSettings;

/**
 * Chroma402's whole configuration, built once from {@link Settings} and validated. Each part is
 * the record its module takes.
 */
public record Chroma402Config(Path dataDir, ModelCatalog models, SessionSettings session, EngineSettings engine,
        ImageLimits limits, AbUpsampling upsampling, float jpegQuality, Precision precision, Map<String, Precision> modelPrecision,
        DownloadLimits downloads) {

    /** The precision a model runs at: its own setting, or {@code engine.precision}. */
    public Precision precision(String model) {
        return modelPrecision.getOrDefault(model, precision);
    }

    /** The same configuration with every model at {@code p} (the {@code --precision} flags). */
    public Chroma402Config withPrecision(Precision p) {
        return new Chroma402Config(dataDir, models, session, engine, limits, upsampling, jpegQuality, p, Map.of(), downloads);
    }

    /**
     * One model's settings over its built-in spec: {@code file} (or a URL ending in {@code .onnx})
     * makes it a ready ONNX file; otherwise it is an official checkpoint of its architecture.
     */
    private static ModelSpec modelSpec(Settings s, String name, ModelSpec base) {
        java.util.Optional<String> file = s.get(MODEL_FILE.forName(name));
        java.util.Optional<URI> url = ConfigParsing.uri(s, MODEL_URL.forName(name));
        java.util.Optional<String> architecture = s.get(MODEL_ARCHITECTURE.forName(name));
        boolean onnx = file.isPresent() || url.map(u -> u.getPath() != null && u.getPath().endsWith(".onnx")).orElse(false);
        String description = s.get(MODEL_DESCRIPTION.forName(name)).orElse(base == null ? "" : base.description());
        // A new URL means a new file: the built-in digest belongs to the built-in URL.
        String sha256 = s.get(MODEL_SHA256.forName(name)).orElse(url.isPresent() || base == null ? null : base.sha256());
        URI source = url.orElse(base == null ? null : base.url());
        String fileName = file.orElse(base == null ? name + ".onnx" : base.fileName());
        if (onnx) {
            return new ModelSpec(name, fileName, url.orElse(file.isPresent() ? null : source), sha256, description);
        }
        DdcolorArchitecture arch = architecture.map(DdcolorArchitecture::parse)
                .orElse(base == null ? null : base.architecture());
        if (arch == null) {
            throw new IllegalArgumentException("set models." + name + ".architecture (tiny or large) for its checkpoint, or "
                    + "models." + name + ".file for a ready ONNX file");
        }
        return ModelSpec.checkpoint(name, arch, source, sha256, description, fileName);
    }

    public static Chroma402Config from(Settings s) {
        Path dataDir = s.path(DATA_DIR);
        Path modelsDir = s.path(MODELS_DIR, dataDir.resolve("models"));
        Map<String, ModelSpec> specs = ModelCatalog.defaults(ConfigParsing.uri(s, MODELS_HUB_URL).orElse(ModelCatalog.HUGGING_FACE));
        for (String name : s.names("models")) {
            try {
                specs.put(name, modelSpec(s, name, specs.get(name)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("models." + name + ": " + e.getMessage());
            }
        }
        SessionSettings session;
        EngineSettings engine;
        ImageLimits limits;
        try {
            session = new SessionSettings(s.integer(ENGINE_INTRA_OP_THREADS), s.integer(ENGINE_INTER_OP_THREADS),
                    s.bool(ENGINE_CUDA), s.integer(ENGINE_CUDA_DEVICE), s.integer(MODELS_INPUT_SIZE));
            engine = new EngineSettings(s.integer(ENGINE_CONCURRENT_RUNS), s.integer(ENGINE_MAX_BATCH),
                    s.integer(ENGINE_MAX_QUEUED));
            limits = new ImageLimits(s.bytes(LIMITS_MAX_IMAGE_BYTES), Math.round(s.decimal(LIMITS_MAX_MEGAPIXELS) * 1_000_000));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        AbUpsampling upsampling;
        try {
            upsampling = AbUpsampling.valueOf(s.string(MODELS_UPSAMPLING).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("models.upsampling must be nearest or bilinear");
        }
        double quality = s.decimal(OUTPUT_JPEG_QUALITY);
        if (quality <= 0 || quality > 1) {
            throw new ConfigException("output.jpeg-quality must be between 0 and 1, got " + quality);
        }
        Precision precision;
        Map<String, Precision> modelPrecision = new LinkedHashMap<>();
        try {
            precision = Precision.parse(s.string(ENGINE_PRECISION));
            for (String name : s.names("models")) {
                s.get(MODEL_PRECISION.forName(name)).ifPresent(p -> modelPrecision.put(name, Precision.parse(p)));
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        DownloadLimits downloads;
        try {
            downloads = new DownloadLimits(s.bytes(MODELS_MAX_DOWNLOAD_SIZE), s.duration(MODELS_DOWNLOAD_STALL_TIMEOUT),
                    s.list(MODELS_REDIRECT_HOSTS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("models.max-download-size: " + e.getMessage());
        }
        return new Chroma402Config(dataDir, new ModelCatalog(modelsDir, new LinkedHashMap<>(specs)), session, engine,
                limits, upsampling, (float) quality, precision, Map.copyOf(modelPrecision), downloads);
    }
}
