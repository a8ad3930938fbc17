package org.chroma402.app.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting Chroma402 knows, with its default as text and what it means. The README's
 * configuration table is this list.
 */
public final class ConfigKeys {
    public static final Map<String, String[]> ALL;

    static {
        Map<String, String[]> k = new LinkedHashMap<>();
        k.put("data-dir", d("data", "where the database, results, models and the development node live"));
        k.put("models.dir", d("<data-dir>/models", "where model files are kept"));
        k.put("models.input-size", d("512", "model input size used when a model leaves it dynamic"));
        k.put("models.upsampling", d("nearest", "ab upsampling: nearest (official DDColor) or bilinear"));
        k.put("engine.intra-op-threads", d("0", "ONNX Runtime threads per model run (0: one per core)"));
        k.put("engine.inter-op-threads", d("1", "ONNX Runtime inter-op threads"));
        k.put("engine.concurrent-runs", d("1", "model runs at once per model"));
        k.put("engine.max-batch", d("4", "images per run when the model has a dynamic batch axis"));
        k.put("engine.max-queued", d("16", "images waiting for a model before unpaid requests get 503"));
        k.put("engine.cuda", d("false", "use the CUDA execution provider when this build has it"));
        k.put("engine.cuda-device", d("0", "CUDA device id"));
        k.put("limits.max-image-bytes", d("20MiB", "largest encoded image accepted"));
        k.put("limits.max-megapixels", d("40", "largest image accepted, in megapixels, read from the header"));
        k.put("output.jpeg-quality", d("0.92", "JPEG quality when JPEG output is asked for"));
        ALL = Collections.unmodifiableMap(k);
    }

    private ConfigKeys() {
    }

    private static String[] d(String defaultValue, String description) {
        return new String[] {defaultValue, description};
    }

    static boolean isBackendKey(String key) {
        return backendKeys().contains(key);
    }

    static List<String> backendKeys() {
        return List.of();
    }
}
