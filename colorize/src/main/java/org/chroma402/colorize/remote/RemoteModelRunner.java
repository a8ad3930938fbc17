package org.chroma402.colorize.remote;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.pipeline.ModelInfo;
import org.chroma402.colorize.pipeline.ModelRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the model on Open Inference Protocol servers instead of in this process: each run goes to the
 * least busy server of an {@link InferencePool} that is ready; a server that fails or vanishes
 * mid-run is set aside until a probe finds it ready again and the run is sent to another, so a paid
 * job survives the loss of a GPU box. The servers' model metadata is checked before any run goes to
 * them (names, FP32, {@code [N,3,S,S] -> [N,2,S,S]}, all alike), and the tensors travel as raw
 * little-endian floats, so the outputs are bit for bit those of the same model run here.
 */
public final class RemoteModelRunner implements ModelRunner {
    private static final Logger log = LoggerFactory.getLogger(RemoteModelRunner.class);

    private final InferencePool pool;
    private final ModelInfo info;

    /** Runs on a pool whose model is known; closing the runner closes the pool. */
    public RemoteModelRunner(InferencePool pool, ModelInfo info) {
        this.pool = pool;
        this.info = info;
    }

    /**
     * Connects to the servers and checks the model each one serves; servers that cannot be reached
     * now are kept (they are probed and join when ready), but at least one must answer with good
     * metadata now: for commands that need the model at once, such as {@code bench}.
     */
    public static RemoteModelRunner connect(List<InferenceServer> servers) throws ColorizationException {
        if (servers.isEmpty()) {
            throw new ColorizationException("no inference server is configured");
        }
        InferencePool pool = new InferencePool(servers, p -> { }).start();
        Optional<ModelInfo> info = pool.model();
        if (info.isEmpty()) {
            String problems = pool.problems();
            pool.close();
            throw new ColorizationException("no inference server answered with the model: " + problems);
        }
        return new RemoteModelRunner(pool, info.get());
    }

    /** The metadata as DDColor's graph must look: one FP32 [N,3,S,S] input, one FP32 [N,2,S,S] output. */
    static ModelInfo check(OipMessages.ModelMetadata m) throws OipFormatException {
        if (m.inputs().size() != 1 || m.outputs().size() != 1) {
            throw new OipFormatException("the model has " + m.inputs().size() + " inputs and " + m.outputs().size()
                    + " outputs; DDColor has one of each");
        }
        OipMessages.TensorSpec in = m.inputs().get(0);
        OipMessages.TensorSpec out = m.outputs().get(0);
        long[] is = in.shape();
        long[] os = out.shape();
        // Triton lists shapes without the batch axis when max_batch_size > 0 ([3,S,S]); KServe with it.
        if (is.length == 3) {
            is = new long[] {-1, is[0], is[1], is[2]};
        }
        if (os.length == 3) {
            os = new long[] {-1, os[0], os[1], os[2]};
        }
        if (!in.datatype().equals("FP32") || !out.datatype().equals("FP32") || is.length != 4 || os.length != 4
                || is[1] != 3 || os[1] != 2 || is[2] <= 0 || is[2] != is[3] || os[2] != is[2] || os[3] != is[3]) {
            throw new OipFormatException("the model takes " + in.datatype() + Arrays.toString(in.shape())
                    + " and gives " + out.datatype() + Arrays.toString(out.shape()) + "; DDColor takes FP32 [N,3,S,S] and gives"
                    + " FP32 [N,2,S,S]");
        }
        return new ModelInfo(in.name(), out.name(), is, os, (int) is[2], is[0] < 0, false);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public boolean isReady() {
        return pool.isReady();
    }

    @Override
    public Optional<String> whyNotReady() {
        return pool.whyNotReady();
    }

    @Override
    public float[][] run(float[][] tensors) throws ColorizationException {
        int size = tensors.length == 0 ? info.inputSize() : ModelInfo.sizeOf(tensors[0]);
        if (!info.accepts(size)) {
            throw new IllegalArgumentException("the model renders at " + info.inputSize() + ", not " + size);
        }
        int per = 3 * size * size;
        float[] flat = new float[tensors.length * per];
        for (int i = 0; i < tensors.length; i++) {
            System.arraycopy(tensors[i], 0, flat, i * per, per);
        }
        OipTensor input = OipTensor.fp32(info.inputName(), new long[] {tensors.length, 3, size, size}, flat);
        List<String> failures = new ArrayList<>();
        List<InferenceServer> tried = new ArrayList<>();
        for (int attempt = 0; attempt < pool.servers().size(); attempt++) {
            InferenceServer server = pool.pick(tried);
            if (server == null) {
                break;
            }
            tried.add(server);
            try {
                List<OipTensor> outputs = server.infer(List.of(input), List.of(info.outputName()));
                return split(outputs, tensors.length, size);
            } catch (IOException | OipFormatException e) {
                log.warn("inference on {} failed ({}); trying another server", server, e.getMessage());
                failures.add(server + ": " + e.getMessage());
                pool.failed(server, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ColorizationException("interrupted while waiting for an inference server");
            }
        }
        throw new ColorizationException("no inference server could run the model"
                + (failures.isEmpty() ? " (none is reachable)" : ": " + String.join("; ", failures)));
    }

    private float[][] split(List<OipTensor> outputs, int n, int size) throws OipFormatException {
        OipTensor out = outputs.stream().filter(t -> t.name().equals(info.outputName())).findFirst()
                .orElseThrow(() -> new OipFormatException("returned no " + info.outputName()));
        long[] shape = out.shape();
        if (!out.datatype().equals("FP32") || shape.length != 4 || shape[0] != n || shape[1] != 2 || shape[2] != size
                || shape[3] != size) {
            throw new OipFormatException("returned " + out.datatype() + Arrays.toString(shape) + ", expected FP32 ["
                    + n + ", 2, " + size + ", " + size + "]");
        }
        float[] all = out.floats();
        int per = 2 * size * size;
        float[][] ab = new float[n][];
        for (int i = 0; i < n; i++) {
            ab[i] = Arrays.copyOfRange(all, i * per, (i + 1) * per);
        }
        return ab;
    }

    @Override
    public void close() {
        pool.close();
    }
}
