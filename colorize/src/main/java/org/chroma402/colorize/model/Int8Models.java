package org.chroma402.colorize.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.onnx.ConvQuantizer;
import org.chroma402.onnx.EinsumAsMatMul;
import org.chroma402.onnx.MatMulQuantizer;
import org.chroma402.onnx.OnnxModel;
import org.chroma402.onnx.OpsetUpgrade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The INT8 version of a float32 model, made on first use and kept next to it as
 * {@code <name>.int8.onnx}, with {@code <name>.int8.json} recording what it was made from (the
 * source's digest, the calibration size, this recipe's version): a changed or reinstalled model
 * is quantized again, an unchanged one never.
 *
 * <p>The recipe: the graph raised to opset 13 when it is older ({@link OpsetUpgrade}: per-channel
 * dequantization needs it); the decoder's Einsum as a MatMul ({@link EinsumAsMatMul}); the large
 * convolutions in static QDQ form ({@link ConvQuantizer}) with activation ranges calibrated on
 * the bundled grey photos ({@link ActivationRanges}); then every matrix product with a constant
 * weight, or with an activation the convolutions left in uint8, in dynamic INT8
 * ({@link MatMulQuantizer}). The INT8 graph reads the float32 weights it keeps from the same
 * external-data file.
 *
 * <p>A graph that cannot be made INT8 (one {@link OpsetUpgrade} cannot convert, or one ONNX Runtime
 * would not load once quantized) is {@link Refused}, with the reason, and nothing is left in place
 * of the INT8 file: the caller runs the float32 model. The refusal is recorded like a success, so
 * the next start does not calibrate again to learn the same thing.
 */
public final class Int8Models {
    private static final Logger log = LoggerFactory.getLogger(Int8Models.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bumped whenever the recipe changes, so INT8 graphs an older version made are made again. */
    static final int RECIPE = 3;

    /** What {@link #quantized} made of a model. */
    public sealed interface Outcome permits Made, Refused {
    }

    /** The INT8 graph, ready to load. */
    public record Made(Path file) implements Outcome {
    }

    /** Why this model stays float32, said for an operator (the model itself is fine). */
    public record Refused(String reason) implements Outcome {
    }

    private Int8Models() {
    }

    /**
     * The INT8 graph of {@code fp32}, calibrated at {@code inputSize} when the model leaves its size
     * open, or why there is none.
     *
     * @throws ColorizationException when the model cannot be read or run for calibration
     */
    public static synchronized Outcome quantized(Path fp32, int inputSize) throws ColorizationException {
        String stem = fp32.getFileName().toString().replaceFirst("\\.onnx$", "");
        Path target = fp32.resolveSibling(stem + ".int8.onnx");
        Path stamp = fp32.resolveSibling(stem + ".int8.json");
        try {
            String source = sourceDigest(fp32);
            if (Files.isRegularFile(target) && Files.isRegularFile(stamp)) {
                JsonNode made = JSON.readTree(stamp.toFile());
                if (source.equals(made.path("source").asText()) && made.path("recipe").asInt() == RECIPE
                        && made.path("calibration_size").asInt() == inputSize) {
                    return new Made(target);
                }
            }
            if (Files.isRegularFile(stamp) && !Files.isRegularFile(target)) {
                JsonNode refused = JSON.readTree(stamp.toFile());
                if (source.equals(refused.path("source").asText()) && refused.path("recipe").asInt() == RECIPE
                        && refused.hasNonNull("refused")) {
                    return new Refused(refused.path("refused").asText());
                }
            }
            long t0 = System.nanoTime();
            OnnxModel model = OnnxModel.read(fp32);
            OpsetUpgrade.Outcome opset = OpsetUpgrade.toTarget(model.proto());
            if (opset instanceof OpsetUpgrade.Refused r) {
                return refuse(r.reason(), source, target, stamp);
            }
            OpsetUpgrade.Upgraded upgraded = (OpsetUpgrade.Upgraded) opset;
            if (upgraded.from() < OpsetUpgrade.TARGET) {
                log.info("{} is at ONNX opset {}: raised to {} for INT8 ({} nodes rewritten)", fp32.getFileName(), upgraded.from(),
                        OpsetUpgrade.TARGET, upgraded.rewritten());
            }
            model = model.with(upgraded.model());
            EinsumAsMatMul.Result einsums = EinsumAsMatMul.rewrite(model.proto());
            model = model.with(einsums.model());
            List<String> tensors = ConvQuantizer.calibrationTensors(model);
            List<RgbImage> photos = ActivationRanges.photos();
            Map<String, ConvQuantizer.Range> ranges = ActivationRanges.measure(model, tensors, photos, inputSize);
            long calibrated = System.nanoTime();
            ConvQuantizer.Result convs = ConvQuantizer.quantize(model, ranges);
            MatMulQuantizer.Result products = MatMulQuantizer.quantize(model.with(convs.model()));
            Path part = target.resolveSibling(target.getFileName() + ".part");
            OnnxModel.write(products.model(), part);
            String unloadable = loadProblem(part);
            if (unloadable != null) {
                Files.deleteIfExists(part);
                return refuse("ONNX Runtime does not load the INT8 graph made from it (" + unloadable + ")", source, target, stamp);
            }
            ModelDownloader.moveIntoPlace(part, target);
            ObjectNode record = JSON.createObjectNode();
            record.put("source", source);
            record.put("recipe", RECIPE);
            record.put("opset_from", upgraded.from());
            record.put("calibration_size", inputSize);
            record.put("calibration_photos", photos.size());
            record.put("einsums", einsums.rewritten());
            record.put("convs", convs.report().convs());
            record.put("matmuls", products.report().matMuls());
            record.put("integer_activation_matmuls", products.report().integerActivations());
            long floatBytes = convs.report().floatWeightBytes() + products.report().floatWeightBytes();
            long int8Bytes = convs.report().int8WeightBytes() + products.report().int8WeightBytes();
            record.put("float_weight_bytes", floatBytes);
            record.put("int8_weight_bytes", int8Bytes);
            Files.write(stamp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
            OwnerOnly.restrict(stamp);
            log.info("quantized {} to INT8 in {} ms (calibration {} ms): {} convolutions, {} matrix products, weights {} MB -> {} MB",
                    fp32.getFileName(), (System.nanoTime() - t0) / 1_000_000, (calibrated - t0) / 1_000_000, convs.report().convs(),
                    products.report().matMuls(), floatBytes >> 20, int8Bytes >> 20);
            return new Made(target);
        } catch (IOException | RuntimeException e) {
            throw new ColorizationException("cannot make the INT8 version of " + fp32 + ": " + e.getMessage(), e);
        }
    }

    /** Records why, removes any INT8 graph an older recipe left, and says it. */
    private static Refused refuse(String reason, String source, Path target, Path stamp) throws IOException {
        Files.deleteIfExists(target);
        ObjectNode record = JSON.createObjectNode();
        record.put("source", source);
        record.put("recipe", RECIPE);
        record.put("refused", reason);
        Files.write(stamp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
        OwnerOnly.restrict(stamp);
        return new Refused(reason);
    }

    /** Why ONNX Runtime will not load {@code graph}, or null: an INT8 file is only kept when it loads. */
    private static String loadProblem(Path graph) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = OrtEnvironment.getEnvironment().createSession(graph.toString(), options)) {
            return null;
        } catch (OrtException e) {
            return e.getMessage();
        }
    }

    /** The graph's SHA-256, and the size and time of the weights file next to it (hashing 900 MB each start is too slow). */
    private static String sourceDigest(Path fp32) throws IOException {
        StringBuilder out = new StringBuilder(ModelDownloader.sha256(fp32));
        Path weights = fp32.resolveSibling(CheckpointInstaller.WEIGHTS_FILE);
        if (Files.isRegularFile(weights)) {
            out.append(':').append(Files.size(weights)).append(':').append(Files.getLastModifiedTime(weights).toMillis());
        }
        return out.toString();
    }
}
