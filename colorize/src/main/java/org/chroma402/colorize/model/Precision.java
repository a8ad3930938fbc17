package org.chroma402.colorize.model;

import java.util.Locale;

/** How a model's numbers are computed: float32 (exact, the default) or INT8 matrix products (faster, approximate). */
public enum Precision {
    FP32, INT8;

    public static Precision parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "fp32", "float32" -> FP32;
            case "int8" -> INT8;
            case "fp16" -> throw new IllegalArgumentException("precision fp16 needs a CUDA build and GPU, which this "
                    + "version does not support yet; use fp32 or int8");
            default -> throw new IllegalArgumentException("precision must be fp32 or int8, got '" + text + "'");
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
