package org.chroma402.colorize.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSessionTest {

    @Test
    void readsTheInputSizeAndBatchAxisFromTheModel() throws Exception {
        try (ModelSession fixed = ModelSession.open(TestResources.tinyModel(), SessionSettings.DEFAULTS);
                ModelSession small = ModelSession.open(TestResources.path("models/tiny-test-48.onnx"), SessionSettings.DEFAULTS);
                ModelSession dynamic = ModelSession.open(TestResources.tinyDynamicModel(), SessionSettings.DEFAULTS)) {
            assertThat(fixed.info().inputSize()).isEqualTo(64);
            assertThat(fixed.info().dynamicBatch()).isFalse();
            assertThat(fixed.info().inputName()).isEqualTo("input");
            assertThat(fixed.info().outputName()).isEqualTo("output");
            assertThat(small.info().inputSize()).isEqualTo(48);
            assertThat(dynamic.info().dynamicBatch()).isTrue();
            assertThat(fixed.onCuda()).isFalse();
        }
    }

    @Test
    void theRunsThreadsStopSpinningWhenARunReturns() throws Exception {
        try (var options = ModelSession.sessionOptions(new SessionSettings(2, 1, false, 0, 512))) {
            assertThat(options.getConfigEntries()).containsEntry("session.force_spinning_stop", "1");
        }
    }

    @Test
    void askingForCudaWithoutItFallsBackToTheCpu() throws Exception {
        try (ModelSession session = ModelSession.open(TestResources.tinyModel(), new SessionSettings(1, 1, true, 0, 512))) {
            assertThat(session.onCuda()).isFalse();
            assertThat(session.run(new float[][] {new float[3 * 64 * 64]})[0]).hasSize(2 * 64 * 64);
        }
    }

    @Test
    void refusesFilesThatAreNotDdcolorModels(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ModelSession.open(TestResources.path("models/not-ddcolor.onnx"), SessionSettings.DEFAULTS))
                .isInstanceOf(ColorizationException.class).hasMessageContaining("is not a DDColor model");
        Path garbage = Files.write(dir.resolve("garbage.onnx"), new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> ModelSession.open(garbage, SessionSettings.DEFAULTS))
                .isInstanceOf(ColorizationException.class).hasMessageContaining("cannot load model");
        assertThatThrownBy(() -> ModelSession.open(dir.resolve("missing.onnx"), SessionSettings.DEFAULTS))
                .isInstanceOf(ColorizationException.class).hasMessageContaining("does not exist");
    }

    @Test
    void aFixedBatchModelRefusesBatches() throws Exception {
        try (ModelSession fixed = ModelSession.open(TestResources.tinyModel(), SessionSettings.DEFAULTS)) {
            float[] t = new float[3 * 64 * 64];
            assertThatThrownBy(() -> fixed.run(new float[][] {t, t})).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
