package org.chroma402.colorize.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageException;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.pipeline.Preprocessor;
import org.chroma402.onnx.ConvQuantizer;
import org.chroma402.onnx.ConvQuantizer.Range;
import org.chroma402.onnx.OnnxModel;

/**
 * Calibration for static INT8: the range each named activation takes when the float32 model
 * colorizes the bundled grey photos ({@code calibration/photos.txt}), prepared exactly as the
 * pipeline prepares a photo. The model is run by ONNX Runtime with those activations exposed as
 * extra outputs (for DDColor-L at 512 px about 0.5 GB of them at once, freed after each photo).
 */
public final class ActivationRanges {
    private static final String PHOTOS = "/org/chroma402/colorize/calibration/";

    private ActivationRanges() {
    }

    /** The bundled calibration photos, decoded. */
    public static List<RgbImage> photos() throws ColorizationException {
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULTS);
        List<RgbImage> out = new ArrayList<>();
        try (InputStream list = ActivationRanges.class.getResourceAsStream(PHOTOS + "photos.txt")) {
            if (list == null) {
                throw new ColorizationException("the calibration photos are missing from this build");
            }
            for (String line : new BufferedReader(new InputStreamReader(list, StandardCharsets.UTF_8)).lines().toList()) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                try (InputStream photo = ActivationRanges.class.getResourceAsStream(PHOTOS + name)) {
                    if (photo == null) {
                        throw new ColorizationException("calibration photo " + name + " is missing from this build");
                    }
                    out.add(decoder.decode(photo.readAllBytes()));
                }
            }
        } catch (IOException | ImageException e) {
            throw new ColorizationException("cannot read the calibration photos: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Runs {@code model} (written next to its source, so its external data resolves) on the
     * photos at {@code inputSize} (used when the model leaves the size open) and returns the
     * range of each tensor over all of them.
     */
    public static Map<String, Range> measure(OnnxModel model, List<String> tensors, List<RgbImage> photos, int inputSize)
            throws ColorizationException, IOException {
        if (tensors.isEmpty()) {
            // A model with nothing to calibrate (no large convolution) needs no run.
            return Map.of();
        }
        Path probe = model.file().resolveSibling(model.file().getFileName() + ".calibration.part");
        OnnxModel.write(ConvQuantizer.exposing(model.proto(), tensors), probe);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(probe.toString(), options)) {
            Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
            long[] shape = ((TensorInfo) input.getValue().getInfo()).getShape();
            int size = shape[2] > 0 ? (int) shape[2] : inputSize;
            Map<String, Range> ranges = new HashMap<>();
            for (RgbImage photo : photos) {
                float[] tensor = Preprocessor.prepare(photo, size).tensor();
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(tensor), new long[] {1, 3, size, size})) {
                    try (OrtSession.Result result = session.run(Map.of(input.getKey(), in), new LinkedHashSet<>(tensors))) {
                        for (String name : tensors) {
                            OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow();
                            ranges.merge(name, rangeOf(t.getFloatBuffer(), name), Range::including);
                        }
                    }
                }
            }
            return ranges;
        } catch (OrtException e) {
            throw new ColorizationException("calibration run failed: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private static Range rangeOf(FloatBuffer values, String name) throws ColorizationException {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        while (values.hasRemaining()) {
            float v = values.get();
            if (!Float.isFinite(v)) {
                throw new ColorizationException("calibration: " + name + " is not finite; the model cannot be quantized");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min > max) {
            throw new ColorizationException("calibration: " + name + " is empty");
        }
        return new Range(min, max);
    }
}
