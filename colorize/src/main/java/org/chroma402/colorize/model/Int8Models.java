package org.chroma402.colorize.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.onnx.MatMulQuantizer;
import org.chroma402.onnx.OnnxModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The INT8 version of a float32 model ({@link MatMulQuantizer}), made on first use and kept next
 * to it as {@code <name>.int8.onnx}, with {@code <name>.int8.json} recording the digest of the
 * source it was made from: a changed or reinstalled model is quantized again, an unchanged one
 * never. The INT8 graph reads the float32 weights it keeps from the same external-data file.
 */
public final class Int8Models {
    private static final Logger log = LoggerFactory.getLogger(Int8Models.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Int8Models() {
    }

    public static synchronized Path quantized(Path fp32) throws ColorizationException {
        String stem = fp32.getFileName().toString().replaceFirst("\\.onnx$", "");
        Path target = fp32.resolveSibling(stem + ".int8.onnx");
        Path stamp = fp32.resolveSibling(stem + ".int8.json");
        try {
            String source = sourceDigest(fp32);
            if (Files.isRegularFile(target) && Files.isRegularFile(stamp)
                    && source.equals(JSON.readTree(stamp.toFile()).path("source").asText())) {
                return target;
            }
            long t0 = System.nanoTime();
            MatMulQuantizer.Result result = MatMulQuantizer.quantize(OnnxModel.read(fp32));
            Path part = target.resolveSibling(target.getFileName() + ".part");
            OnnxModel.write(result.model(), part);
            ModelDownloader.moveIntoPlace(part, target);
            ObjectNode record = JSON.createObjectNode();
            record.put("source", source);
            record.put("matmuls", result.report().matMuls());
            record.put("float_weight_bytes", result.report().floatWeightBytes());
            record.put("int8_weight_bytes", result.report().int8WeightBytes());
            Files.write(stamp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
            log.info("quantized {} to INT8 in {} ms: {} matrix products, weights {} MB -> {} MB", fp32.getFileName(),
                    (System.nanoTime() - t0) / 1_000_000, result.report().matMuls(),
                    result.report().floatWeightBytes() >> 20, result.report().int8WeightBytes() >> 20);
            return target;
        } catch (IOException | RuntimeException e) {
            throw new ColorizationException("cannot make the INT8 version of " + fp32 + ": " + e.getMessage(), e);
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
