package org.chroma402.colorize.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which words a model is sold under: the official ones only for the official weights, the operator's whenever set. */
class ModelOriginTest {
    @TempDir
    Path dir;

    private static final String MODELSCOPE = ModelCatalog.defaults().get("large").sha256();

    private Path installed(String sha256) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("large"));
        Files.writeString(folder.resolve(CheckpointInstaller.RECORD_FILE), """
                {"architecture": "ddcolor-large", "source": "/tmp/some.pth", "checkpoint_sha256": "%s"}
                """.formatted(sha256));
        return folder.resolve(CheckpointInstaller.GRAPH_FILE);
    }

    @Test
    void theOfficialCheckpointKeepsItsWordsWhereverItCameFrom() throws Exception {
        ModelOrigin origin = ModelOrigin.of(installed(MODELSCOPE));
        assertThat(origin.official()).isTrue();
        assertThat(origin.description(ModelCatalog.defaults().get("large"))).isEqualTo("DDColor-L (ddcolor_modelscope): best quality");
        assertThat(origin.warning(ModelCatalog.defaults().get("large"))).isEmpty();
    }

    @Test
    void otherWeightsAreNotSoldAsTheBestQuality() throws Exception {
        String other = "ab".repeat(32);
        ModelOrigin origin = ModelOrigin.of(installed(other));
        ModelSpec large = ModelCatalog.defaults().get("large");
        assertThat(origin.official()).isFalse();
        assertThat(origin.description(large)).isEqualTo("DDColor-L with weights that are not the authors' official checkpoint "
                + "(SHA-256 abababababab…): its quality is not vouched for");
        assertThat(origin.warning(large)).hasValueSatisfying(w -> assertThat(w).contains("/tmp/some.pth", other,
                "\"official\": false", "models.large.description"));
    }

    @Test
    void theOperatorsDescriptionApplies() throws Exception {
        ModelSpec described = ModelSpec.checkpoint("large", DdcolorArchitecture.LARGE, URI.create("https://example.com/ft.pth"), null,
                "DDColor-L fine-tuned on our archive", "ddcolor_large.onnx");
        assertThat(ModelOrigin.of(installed("cd".repeat(32))).description(described)).isEqualTo("DDColor-L fine-tuned on our archive");
    }

    @Test
    void aReadyOnnxFileIsNotVouchedFor() throws Exception {
        Path onnx = Files.writeString(dir.resolve("ddcolor_large.onnx"), "x");
        ModelOrigin origin = ModelOrigin.of(onnx);
        assertThat(origin.official()).isFalse();
        assertThat(origin.checkpointSha256()).isNull();
        assertThat(origin.description(new ModelSpec("large", "ddcolor_large.onnx", null, null, ModelCatalog.defaults().get("large").description())))
                .startsWith("DDColor with weights that are not the authors' official checkpoint:");
    }
}
