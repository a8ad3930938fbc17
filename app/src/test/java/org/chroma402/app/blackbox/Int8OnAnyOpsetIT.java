package org.chroma402.app.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.chroma402.colorize.testing.Opset12Models;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * INT8 on models exported at an old ONNX opset, as the shipped jar runs them: PyTorch writes
 * DDColor at opset 12 (the official export script does), where the per-channel dequantization
 * INT8 needs does not exist yet. Such a model is raised to opset 13 and runs in INT8; one that
 * cannot be raised is said to be refused and runs in fp32. Never a graph ONNX Runtime refuses.
 */
class Int8OnAnyOpsetIT {
    @TempDir
    Path dir;

    @Test
    void benchMeasuresInt8OnAModelExportedAtOpset12() {
        Opset12Models.ddcolorLike(dir.resolve("opset12.onnx"), 12);

        JarProcess bench = ShippedJar.run(dir, Duration.ofMinutes(3), "bench", "-m", "opset12.onnx", "--precision", "int8",
                "-n", "2", "--warmup", "0", "--size", "64x64", "--data-dir", "data");

        assertThat(bench.awaitExit(Duration.ofSeconds(1))).as(bench.describe()).isZero();
        assertThat(bench.stdout()).as(bench.describe()).containsPattern("int8 +model run median [0-9.]+ ms against fp32")
                .contains("colour difference from fp32");
        assertThat(bench.stderr()).as(bench.describe()).contains("is at ONNX opset 12: raised to 13 for INT8")
                .doesNotContain("ORT_INVALID_GRAPH");
        assertThat(dir.resolve("opset12.int8.onnx")).exists();
    }

    @Test
    void aModelThatCannotBeRaisedIsColorizedInFp32AndSaysWhy() throws Exception {
        Opset12Models.ddcolorLike(dir.resolve("opset10.onnx"), 10);
        Files.write(dir.resolve("grey.jpg"), TestResources.bytes("formats/grey.jpg"));

        JarProcess colorize = ShippedJar.run(dir, Duration.ofMinutes(3), "colorize", "--local", "-m", "opset10.onnx", "--precision",
                "int8", "grey.jpg", "-o", "colour.png", "--data-dir", "data");

        assertThat(colorize.awaitExit(Duration.ofSeconds(1))).as(colorize.describe()).isZero();
        assertThat(dir.resolve("colour.png")).exists();
        assertThat(colorize.stderr()).as(colorize.describe()).contains("runs in fp32, not INT8", "opset 10");
        assertThat(dir.resolve("opset10.int8.onnx")).doesNotExist();
    }
}
