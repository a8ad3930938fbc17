package org.chroma402.colorize.pipeline;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.chroma402.colorize.ColorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session for one DDColor model: loaded once, shared by all requests (ONNX
 * Runtime sessions are safe to run concurrently), and closed with the application.
 *
 * <p>It runs the network and nothing else; pre- and post-processing live in
 * {@link Preprocessor} and {@link Postprocessor}. The model must take {@code (N, 3, S, S)} and
 * give {@code (N, 2, S, S)}; S is read from the model, or taken from the settings when the model
 * leaves it dynamic, in which case a run may use any other size as well (all tensors of one run
 * have one size).
 */
public final class ModelSession implements ModelRunner {
    private static final Logger log = LoggerFactory.getLogger(ModelSession.class);

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelInfo info;
    private final boolean onCuda;

    private ModelSession(OrtEnvironment env, OrtSession session, ModelInfo info, boolean onCuda) {
        this.env = env;
        this.session = session;
        this.info = info;
        this.onCuda = onCuda;
    }

    public static ModelSession open(Path file, SessionSettings settings) throws ColorizationException {
        if (!Files.isRegularFile(file)) {
            throw new ColorizationException("model file " + file + " does not exist");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        boolean cuda = false;
        try (OrtSession.SessionOptions options = sessionOptions(settings)) {
            if (settings.cuda()) {
                if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                    try {
                        options.addCUDA(settings.cudaDevice());
                        cuda = true;
                    } catch (OrtException e) {
                        log.warn("CUDA was requested but could not be enabled ({}); running {} on the CPU",
                                e.getMessage(), file.getFileName());
                    }
                } else {
                    log.warn("CUDA was requested but this ONNX Runtime build has no CUDA provider "
                            + "(build with -Pcuda); running {} on the CPU", file.getFileName());
                }
            }
            OrtSession session = env.createSession(file.toString(), options);
            try {
                ModelInfo info = inspect(session, settings, file);
                log.info("loaded model {} ({}) on {}", file.getFileName(), info, cuda ? "CUDA" : "CPU");
                return new ModelSession(env, session, info, cuda);
            } catch (ColorizationException | RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new ColorizationException("cannot load model " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * What every session starts from (CUDA is added to it): all graph optimizations, the
     * configured thread counts, and the intra-op threads' spinning stopped as soon as a run
     * returns. Spinning keeps a run's threads hot between its operators; after the run it would
     * take the cores from the postprocessing and encoding that follow (measured: postprocessing
     * 1.2–1.4× slower on two cores).
     */
    static OrtSession.SessionOptions sessionOptions(SessionSettings settings) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (settings.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(settings.intraOpThreads());
            }
            if (settings.interOpThreads() > 0) {
                options.setInterOpNumThreads(settings.interOpThreads());
            }
            options.addConfigEntry("session.force_spinning_stop", "1");
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static ModelInfo inspect(OrtSession session, SessionSettings settings, Path file)
            throws OrtException, ColorizationException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (inputs.size() != 1 || outputs.isEmpty()) {
            throw notDdcolor(file, "it has " + inputs.size() + " inputs and " + outputs.size() + " outputs");
        }
        var input = inputs.entrySet().iterator().next();
        var output = outputs.entrySet().iterator().next();
        long[] in = shape(input.getValue(), file);
        long[] out = shape(output.getValue(), file);
        if (in.length != 4 || in[1] != 3 || out.length != 4 || (out[1] != 2 && out[1] != -1)) {
            throw notDdcolor(file, "input is " + Arrays.toString(in) + " and output " + Arrays.toString(out));
        }
        if (in[2] > 0 && in[3] > 0 && in[2] != in[3]) {
            throw notDdcolor(file, "its input is not square: " + Arrays.toString(in));
        }
        boolean dynamicSize = in[2] <= 0 || in[3] <= 0;
        int size = dynamicSize ? settings.defaultInputSize() : (int) in[2];
        return new ModelInfo(input.getKey(), output.getKey(), in, out, size, in[0] <= 0, dynamicSize);
    }

    private static long[] shape(NodeInfo node, Path file) throws ColorizationException {
        if (!(node.getInfo() instanceof TensorInfo tensor)) {
            throw notDdcolor(file, node.getName() + " is not a tensor");
        }
        return tensor.getShape();
    }

    private static ColorizationException notDdcolor(Path file, String why) {
        return new ColorizationException("model " + file.getFileName()
                + " is not a DDColor model (expected input (N,3,S,S) and output (N,2,S,S)): " + why);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    public boolean onCuda() {
        return onCuda;
    }

    /**
     * Runs the model on one or more prepared tensors (several only if the model has a dynamic
     * batch axis) and returns one ab array ({@code 2·S·S}) per input, in order.
     */
    @Override
    public float[][] run(float[][] tensors) throws ColorizationException {
        int n = tensors.length;
        if (n == 0) {
            return new float[0][];
        }
        int size = ModelInfo.sizeOf(tensors[0]);
        if (!info.accepts(size)) {
            throw new IllegalArgumentException("the model renders at " + info.inputSize() + ", not " + size);
        }
        int per = 3 * size * size;
        if (n > 1 && !info.dynamicBatch()) {
            throw new IllegalArgumentException("model has a fixed batch size of 1");
        }
        FloatBuffer input = FloatBuffer.allocate(n * per);
        for (float[] t : tensors) {
            if (t.length != per) {
                throw new IllegalArgumentException("tensor has " + t.length + " values, the model takes " + per);
            }
            input.put(t);
        }
        input.rewind();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {n, 3, size, size});
                OrtSession.Result result = session.run(Map.of(info.inputName(), tensor))) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            long[] shape = output.getInfo().getShape();
            if (shape.length != 4 || shape[0] != n || shape[1] != 2 || shape[2] != size || shape[3] != size) {
                throw new ColorizationException("model returned shape " + Arrays.toString(shape) + ", expected ["
                        + n + ", 2, " + size + ", " + size + "]");
            }
            FloatBuffer values = output.getFloatBuffer();
            int outPer = 2 * size * size;
            float[][] ab = new float[n][outPer];
            for (int i = 0; i < n; i++) {
                values.get(ab[i]);
            }
            return ab;
        } catch (OrtException e) {
            throw new ColorizationException("the model failed to run: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            log.debug("closing the ONNX session failed", e);
        }
    }
}
