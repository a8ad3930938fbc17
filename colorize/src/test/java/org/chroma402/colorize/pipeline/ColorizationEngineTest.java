package org.chroma402.colorize.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.Test;

class ColorizationEngineTest {

    private static float[] randomTensor(Random random, int size) {
        float[] t = new float[3 * size * size];
        for (int i = 0; i < t.length; i++) {
            t[i] = random.nextFloat();
        }
        return t;
    }

    @Test
    void batchesWaitingTensorsWhenTheModelAllowsIt() throws Exception {
        Random random = new Random(3);
        List<float[]> tensors = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            tensors.add(randomTensor(random, 64));
        }
        float[][] alone;
        try (ModelSession single = ModelSession.open(TestResources.tinyDynamicModel(), SessionSettings.DEFAULTS)) {
            alone = new float[tensors.size()][];
            for (int i = 0; i < tensors.size(); i++) {
                alone[i] = single.run(new float[][] {tensors.get(i)})[0];
            }
        }
        try (ColorizationEngine engine = new ColorizationEngine(
                ModelSession.open(TestResources.tinyDynamicModel(), SessionSettings.DEFAULTS),
                new EngineSettings(1, 4, 16), "dynamic")) {
            List<CompletableFuture<ColorizationEngine.Inference>> futures = new ArrayList<>();
            for (float[] t : tensors) {
                futures.add(engine.infer(t));
            }
            assertThat(engine.queued()).isEqualTo(9);
            engine.start();
            List<Integer> batchSizes = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                ColorizationEngine.Inference inference = futures.get(i).get();
                batchSizes.add(inference.batchSize());
                float[] expected = alone[i];
                float[] actual = inference.ab();
                for (int j = 0; j < expected.length; j++) {
                    assertThat(actual[j]).isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-4f));
                }
            }
            assertThat(batchSizes).containsExactly(4, 4, 4, 4, 4, 4, 4, 4, 1);
        }
    }

    @Test
    void runsEachInputSizeSeparatelyAndRefusesSizesAFixedModelCannotTake() throws Exception {
        Random random = new Random(5);
        try (ColorizationEngine engine = new ColorizationEngine(
                ModelSession.open(TestResources.anySizeModel(), new SessionSettings(1, 1, false, 0, 256)),
                new EngineSettings(1, 4, 16), "any-size")) {
            List<CompletableFuture<ColorizationEngine.Inference>> futures = new ArrayList<>();
            int[] sizes = {256, 288, 256, 320, 288};
            for (int size : sizes) {
                float[] t = new float[3 * size * size];
                for (int i = 0; i < t.length; i++) {
                    t[i] = random.nextFloat();
                }
                futures.add(engine.infer(t));
            }
            engine.start();
            for (int i = 0; i < sizes.length; i++) {
                ColorizationEngine.Inference inference = futures.get(i).get();
                assertThat(inference.ab()).hasSize(2 * sizes[i] * sizes[i]);
                assertThat(inference.batchSize()).isLessThanOrEqualTo(2);
            }
        }
        try (ModelSession fixed = ModelSession.open(TestResources.tinyModel(), SessionSettings.DEFAULTS)) {
            assertThat(fixed.info().accepts(64)).isTrue();
            assertThat(fixed.info().accepts(256)).isFalse();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> fixed.run(new float[][] {new float[3 * 256 * 256]}))
                    .hasMessageContaining("renders at 64, not 256");
        }
    }

    @Test
    void neverRunsMoreThanTheConfiguredNumberAtOnce() throws Exception {
        Random random = new Random(4);
        try (ColorizationEngine engine = new ColorizationEngine(
                ModelSession.open(TestResources.tinyModel(), SessionSettings.DEFAULTS),
                new EngineSettings(2, 1, 4), "fixed").start()) {
            List<CompletableFuture<ColorizationEngine.Inference>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                futures.add(engine.infer(randomTensor(random, 64)));
            }
            int maxRunning = 0;
            while (!futures.stream().allMatch(CompletableFuture::isDone)) {
                maxRunning = Math.max(maxRunning, engine.running());
            }
            assertThat(maxRunning).isLessThanOrEqualTo(2);
            assertThat(engine.isSaturated()).isFalse();
            for (CompletableFuture<ColorizationEngine.Inference> f : futures) {
                assertThat(f.get().batchSize()).isEqualTo(1);
            }
        }
    }

    @Test
    void reportsSaturationOnceTheQueueIsFull() throws Exception {
        try (ColorizationEngine engine = new ColorizationEngine(
                ModelSession.open(TestResources.tinyModel(), SessionSettings.DEFAULTS),
                new EngineSettings(1, 1, 2), "queue")) {
            engine.infer(new float[3 * 64 * 64]);
            assertThat(engine.isSaturated()).isFalse();
            engine.infer(new float[3 * 64 * 64]);
            assertThat(engine.isSaturated()).isTrue();
        }
    }

    @Test
    void closingFailsWhatIsStillQueued() throws Exception {
        ColorizationEngine engine = new ColorizationEngine(
                ModelSession.open(TestResources.tinyModel(), SessionSettings.DEFAULTS), new EngineSettings(1, 4, 16), "closing");
        CompletableFuture<ColorizationEngine.Inference> pending = engine.infer(new float[3 * 64 * 64]);
        engine.close();
        assertThat(pending).isCompletedExceptionally();
        assertThat(engine.infer(new float[3 * 64 * 64])).isCompletedExceptionally();
    }
}
