package org.chroma402.colorize.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.chroma402.colorize.checkpoint.CheckpointLimits;
import org.chroma402.colorize.color.ColourDifference;
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
import org.chroma402.colorize.testing.Opset12Models;
import org.chroma402.colorize.testing.RepositoryFiles;
import org.chroma402.colorize.testing.TestCheckpoints;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.onnx.OnnxModel;
import org.chroma402.onnx.OpsetUpgrade;
import org.chroma402.onnx.proto.OnnxProto.NodeProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * INT8 of the real DDColor-T graph: made once and cached with its source's digest, run by ONNX
 * Runtime, and close to the float32 colours on a real photo (CIEDE2000). Speed is for
 * {@code bench --precision int8}, not for a test.
 */
class Int8ModelsTest {
    @TempDir
    Path models;

    @Test
    void quantizesOnceRunsAndStaysCloseToFloat32() throws Exception {
        Path graph = new CheckpointInstaller(CheckpointLimits.DEFAULT, file -> { }).install(TestCheckpoints.get(TestCheckpoints.TINY),
                DdcolorArchitecture.TINY, models.resolve("tiny"), new CheckpointInstaller.Source("test", "t", 1), (d, t) -> { }).graph();
        Path int8 = made(Int8Models.quantized(graph, 256));
        assertThat(int8).isEqualTo(models.resolve("tiny/model.int8.onnx"));
        FileTime made = Files.getLastModifiedTime(int8);
        assertThat(made(Int8Models.quantized(graph, 256))).isEqualTo(int8);
        assertThat(Files.getLastModifiedTime(int8)).as("an unchanged model is not quantized again").isEqualTo(made);
        JsonNode record = new ObjectMapper().readTree(models.resolve("tiny/model.int8.json").toFile());
        assertThat(record.path("matmuls").asInt()).isEqualTo(57);
        assertThat(record.path("convs").asInt()).as("the decoder's and the downsampling convolutions").isEqualTo(13);
        assertThat(record.path("calibration_photos").asInt()).isEqualTo(3);
        assertThat(OnnxModel.read(int8).proto().getGraph().getNodeList()).extracting(NodeProto::getOpType)
                .contains("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "MatMulInteger");

        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULTS);
        RgbImage photo = decoder.decode(Files.readAllBytes(RepositoryFiles.realPhoto("keller-chaplin-1919.jpg")));
        SessionSettings at256 = new SessionSettings(0, 1, false, 0, 256);
        try (ColorizationEngine exact = new ColorizationEngine(ModelSession.open(graph, at256), new EngineSettings(1, 1, 2), "fp32").start();
                ColorizationEngine fast = new ColorizationEngine(ModelSession.open(int8, at256), new EngineSettings(1, 1, 2), "int8").start()) {
            RgbImage a = new ColorizationPipeline(decoder, new ImageEncoder(), exact, AbUpsampling.NEAREST).colorize(photo).image();
            RgbImage b = new ColorizationPipeline(decoder, new ImageEncoder(), fast, AbUpsampling.NEAREST).colorize(photo).image();
            double[] deltas = ColourDifference.perPixel(a, b);
            double mean = ColourDifference.mean(deltas);
            double p95 = ColourDifference.percentile(deltas, 95);
            System.out.printf("int8 vs fp32, tiny at 256 on keller: CIEDE2000 mean %.3f, p95 %.3f%n", mean, p95);
            assertThat(mean).isLessThanOrEqualTo(1.0);
            assertThat(p95).isLessThanOrEqualTo(3.0);
            assertThat(mean).as("it is a different computation").isPositive();
        }

        // Another calibration size, or an INT8 graph an older recipe made, is made again.
        Int8Models.quantized(graph, 320);
        assertThat(Files.getLastModifiedTime(int8)).isNotEqualTo(made);
        made = Files.getLastModifiedTime(int8);
        Files.writeString(models.resolve("tiny/model.int8.json"),
                Files.readString(models.resolve("tiny/model.int8.json")).replace("\"recipe\" : " + Int8Models.RECIPE, "\"recipe\" : 2"));
        Int8Models.quantized(graph, 320);
        assertThat(Files.getLastModifiedTime(int8)).isNotEqualTo(made);
        made = Files.getLastModifiedTime(int8);

        // A reinstalled model (other weights) is quantized again.
        Files.setLastModifiedTime(models.resolve("tiny/weights.bin"), FileTime.from(Instant.now().plusSeconds(60)));
        Int8Models.quantized(graph, 256);
        assertThat(Files.getLastModifiedTime(int8)).isNotEqualTo(made);
    }

    @Test
    void aGraphExportedAtOpset12IsRaisedTo13AndItsInt8GraphLoadsAndRuns() throws Exception {
        // Per-channel DequantizeLinear (the axis attribute) is opset 13: written into an opset-12 graph, ONNX Runtime refused it.
        Path graph = Opset12Models.ddcolorLike(models.resolve("opset12/model.onnx"), 12);
        Path int8 = made(Int8Models.quantized(graph, 64));
        assertThat(OpsetUpgrade.opset(OnnxModel.read(int8).proto())).isEqualTo(13);
        JsonNode record = new ObjectMapper().readTree(models.resolve("opset12/model.int8.json").toFile());
        assertThat(record.path("opset_from").asInt()).isEqualTo(12);
        assertThat(record.path("convs").asInt()).isEqualTo(1);
        assertThat(record.path("matmuls").asInt()).isEqualTo(1);

        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULTS);
        RgbImage photo = decoder.decode(TestResources.bytes("formats/grey.jpg"));
        SessionSettings settings = new SessionSettings(0, 1, false, 0, 64);
        try (ColorizationEngine exact = new ColorizationEngine(ModelSession.open(graph, settings), new EngineSettings(1, 1, 2), "fp32").start();
                ColorizationEngine fast = new ColorizationEngine(ModelSession.open(int8, settings), new EngineSettings(1, 1, 2), "int8").start()) {
            RgbImage a = new ColorizationPipeline(decoder, new ImageEncoder(), exact, AbUpsampling.NEAREST).colorize(photo).image();
            RgbImage b = new ColorizationPipeline(decoder, new ImageEncoder(), fast, AbUpsampling.NEAREST).colorize(photo).image();
            double mean = ColourDifference.mean(ColourDifference.perPixel(a, b));
            assertThat(mean).as("INT8 of the same network").isPositive().isLessThan(3.0);
        }
    }

    @Test
    void aGraphThatCannotBeRaisedIsRefusedOnceAndNothingIsWritten() throws Exception {
        // Below opset 11 (DynamicQuantizeLinear's) there is no conversion: the model stays float32, the reason is kept.
        Path graph = Opset12Models.ddcolorLike(models.resolve("opset10/model.onnx"), 10);
        Int8Models.Outcome outcome = Int8Models.quantized(graph, 64);
        assertThat(outcome).isInstanceOfSatisfying(Int8Models.Refused.class,
                r -> assertThat(r.reason()).contains("opset 10", "export it at opset 13"));
        assertThat(models.resolve("opset10/model.int8.onnx")).doesNotExist();
        FileTime recorded = Files.getLastModifiedTime(models.resolve("opset10/model.int8.json"));
        assertThat(Int8Models.quantized(graph, 64)).isEqualTo(outcome);
        assertThat(Files.getLastModifiedTime(models.resolve("opset10/model.int8.json"))).isEqualTo(recorded);
    }

    private static Path made(Int8Models.Outcome outcome) {
        assertThat(outcome).isInstanceOf(Int8Models.Made.class);
        return ((Int8Models.Made) outcome).file();
    }
}
