package org.chroma402.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.chroma402.colorize.model.Precision;
import org.junit.jupiter.api.Test;

/** {@code engine.precision} and its per-model form, with the mistakes operators make. */
class PrecisionConfigTest {
    private static Chroma402Config config(Map<String, String> flags) {
        return Chroma402Config.from(ConfigLoader.load(null, Map.of(), flags));
    }

    @Test
    void fp32IsTheDefaultAndEachModelMayChooseItsOwn() {
        assertThat(config(Map.of()).precision("large")).isEqualTo(Precision.FP32);
        Chroma402Config c = config(Map.of("engine.precision", "int8", "models.tiny.precision", "fp32"));
        assertThat(c.precision("large")).isEqualTo(Precision.INT8);
        assertThat(c.precision("tiny")).isEqualTo(Precision.FP32);
        assertThat(c.withPrecision(Precision.FP32).precision("large")).isEqualTo(Precision.FP32);
        assertThat(ConfigLoader.load(null, Map.of("CHROMA402_MODELS_LARGE_PRECISION", "int8"), Map.of()).asMap())
                .containsEntry("models.large.precision", "int8");
    }

    @Test
    void mistakesAreExplained() {
        assertThatThrownBy(() -> config(Map.of("engine.precision", "int4"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("precision must be fp32 or int8, got 'int4'");
        assertThatThrownBy(() -> config(Map.of("models.large.precision", "fp16"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("fp16 needs a CUDA build and GPU");
    }
}
