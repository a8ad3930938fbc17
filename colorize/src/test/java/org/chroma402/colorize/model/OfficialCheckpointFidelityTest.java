package org.chroma402.colorize.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.chroma402.colorize.checkpoint.CheckpointLimits;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageEncoder;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.pipeline.AbUpsampling;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.colorize.pipeline.ColorizationPipeline;
import org.chroma402.colorize.pipeline.EngineSettings;
import org.chroma402.colorize.pipeline.ModelSession;
import org.chroma402.colorize.pipeline.SessionSettings;
import org.chroma402.colorize.testing.RepositoryFiles;
import org.chroma402.colorize.testing.TestCheckpoints;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Official checkpoints imported into the weightless graphs reproduce the official pipeline. The
 * expected images in {@code fixtures/official} were made by {@code tools/ddcolor/official_outputs.py}:
 * the authors' code (github.com/piddnad/DDColor, {@code ColorizationPipeline} on PyTorch) run on the
 * real photos of {@code shared/test-images} with the seeded checkpoints of {@link TestCheckpoints}.
 * Here the same checkpoints go through {@link CheckpointInstaller} and our whole pipeline: every
 * 8-bit channel within ±1 on at least 99.9 % of values.
 */
class OfficialCheckpointFidelityTest {
    private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULTS);

    @TempDir
    Path models;

    @Test
    void tinyCheckpointMatchesTheOfficialPipeline() throws Exception {
        Path graph = install(TestCheckpoints.TINY, DdcolorArchitecture.TINY, "tiny");
        assertMatches(graph, 512, "tiny", "keller-chaplin-1919", "detroit-1915", "armstrong-1946");
    }

    @Test
    void tinyAtAnotherInputSizeMatchesTheOfficialPipelineAtThatSize() throws Exception {
        Path graph = install(TestCheckpoints.TINY, DdcolorArchitecture.TINY, "tiny");
        assertMatches(graph, 256, "tiny", "keller-chaplin-1919");
    }

    @Test
    void largeCheckpointMatchesTheOfficialPipeline() throws Exception {
        Path graph = install(TestCheckpoints.LARGE, DdcolorArchitecture.LARGE, "large");
        assertMatches(graph, 512, "large", "keller-chaplin-1919", "buffalo-1908");
    }

    @Test
    void safetensorsAndTorchFilesOfTheSameWeightsInstallTheSameModel() throws Exception {
        Path fromTorch = install(TestCheckpoints.TINY, DdcolorArchitecture.TINY, "a");
        Path fromSafetensors = install(TestCheckpoints.TINY_SAFETENSORS, DdcolorArchitecture.TINY, "b");
        assertThat(Files.mismatch(fromTorch.resolveSibling("weights.bin"), fromSafetensors.resolveSibling("weights.bin")))
                .isEqualTo(-1);
    }

    private Path install(TestCheckpoints.Spec spec, DdcolorArchitecture architecture, String name) throws Exception {
        Path checkpoint = TestCheckpoints.get(spec);
        CheckpointInstaller installer = new CheckpointInstaller(CheckpointLimits.DEFAULT, file -> { });
        return installer.install(checkpoint, architecture, models.resolve(name),
                new CheckpointInstaller.Source(checkpoint.toString(), "test", Files.size(checkpoint)), (d, t) -> { }).graph();
    }

    private static void assertMatches(Path graph, int inputSize, String architecture, String... photos) throws Exception {
        try (ColorizationEngine engine = new ColorizationEngine(ModelSession.open(graph, new SessionSettings(0, 1, false, 0, inputSize)),
                new EngineSettings(1, 1, 4), architecture).start()) {
            ColorizationPipeline pipeline = new ColorizationPipeline(DECODER, new ImageEncoder(), engine, AbUpsampling.NEAREST);
            for (String photo : photos) {
                RgbImage input = DECODER.decode(Files.readAllBytes(RepositoryFiles.realPhoto(photo + ".jpg")));
                RgbImage expected = DECODER.decode(TestResources.bytes("fixtures/official/" + photo + "-" + architecture + "-"
                        + inputSize + ".png"));
                RgbImage actual = pipeline.colorize(input).image();
                assertThat(actual.width()).isEqualTo(expected.width());
                assertThat(actual.height()).isEqualTo(expected.height());
                byte[] a = actual.rgb();
                byte[] e = expected.rgb();
                int within = 0;
                int exact = 0;
                int worst = 0;
                for (int i = 0; i < a.length; i++) {
                    int d = Math.abs((a[i] & 0xff) - (e[i] & 0xff));
                    worst = Math.max(worst, d);
                    within += d <= 1 ? 1 : 0;
                    exact += d == 0 ? 1 : 0;
                }
                double share = within / (double) a.length;
                System.out.printf("%s %s@%d: %.4f%% within ±1, %.4f%% identical, largest difference %d%n", photo, architecture,
                        inputSize, 100 * share, 100.0 * exact / a.length, worst);
                assertThat(share).as(photo + ": share of 8-bit channels within ±1 of the official output").isGreaterThanOrEqualTo(0.999);
            }
        }
    }
}
