package org.chroma402.colorize.remote;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.pipeline.ModelInfo;
import org.chroma402.colorize.pipeline.ModelRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the model on Open Inference Protocol servers instead of in this process: each run goes to the
 * least busy server that is not known to be down; a server that fails or vanishes mid-run is set
 * aside for a while and the run is sent to another, so a paid job survives the loss of a GPU box.
 * The servers' model metadata is checked at start (names, FP32, {@code [N,3,S,S] -> [N,2,S,S]}, all
 * alike), and the tensors travel as raw little-endian floats, so the outputs are bit for bit those
 * of the same model run here.
 */
public final class RemoteModelRunner implements ModelRunner {
    private static final Logger log = LoggerFactory.getLogger(RemoteModelRunner.class);
    /** How long a failed server is skipped before it is tried again. */
    static final Duration SET_ASIDE = Duration.ofSeconds(5);
    static final Duration PROBE_EVERY = Duration.ofSeconds(2);

    private final List<InferenceServer> servers;
    private final ModelInfo info;
    private final Clock clock;
    private final Map<InferenceServer, Instant> downUntil = new ConcurrentHashMap<>();
    /** Asks each server for its readiness now and then, so a dead one is skipped before a run fails on it. */
    private java.util.concurrent.ScheduledExecutorService prober;

    private RemoteModelRunner(List<InferenceServer> servers, ModelInfo info, Clock clock) {
        this.servers = List.copyOf(servers);
        this.info = info;
        this.clock = clock;
    }

    /**
     * Connects to the servers and checks the model each one serves; servers that cannot be reached
     * now are kept (they may come up later), but at least one must answer with good metadata.
     */
    public static RemoteModelRunner connect(List<InferenceServer> servers, Clock clock) throws ColorizationException {
        if (servers.isEmpty()) {
            throw new ColorizationException("no inference server is configured");
        }
        ModelInfo info = null;
        List<String> problems = new ArrayList<>();
        RemoteModelRunner runner = new RemoteModelRunner(servers, null, clock);
        for (InferenceServer server : servers) {
            try {
                ModelInfo theirs = check(server.metadata(), server);
                if (info != null && !sameShape(info, theirs)) {
                    throw new ColorizationException(server + " serves " + theirs + ", but another server serves " + info);
                }
                info = theirs;
            } catch (IOException | OipFormatException e) {
                problems.add(server + ": " + e.getMessage());
                runner.downUntil.put(server, clock.instant().plus(SET_ASIDE));
            }
        }
        if (info == null) {
            throw new ColorizationException("no inference server answered with the model: " + String.join("; ", problems));
        }
        problems.forEach(p -> log.warn("inference server not reachable yet: {}", p));
        RemoteModelRunner ready = new RemoteModelRunner(servers, info, clock);
        ready.downUntil.putAll(runner.downUntil);
        ready.prober = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inference-server-probe");
            t.setDaemon(true);
            return t;
        });
        ready.prober.scheduleWithFixedDelay(ready::probe, PROBE_EVERY.toMillis(), PROBE_EVERY.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        return ready;
    }

    private static boolean sameShape(ModelInfo a, ModelInfo b) {
        return a.inputName().equals(b.inputName()) && a.outputName().equals(b.outputName()) && a.inputSize() == b.inputSize()
                && a.dynamicBatch() == b.dynamicBatch();
    }

    /** The metadata as DDColor's graph must look: one FP32 [N,3,S,S] input, one FP32 [N,2,S,S] output. */
    static ModelInfo check(OipMessages.ModelMetadata m, InferenceServer server) throws OipFormatException {
        if (m.inputs().size() != 1 || m.outputs().size() != 1) {
            throw new OipFormatException(server + ": the model has " + m.inputs().size() + " inputs and " + m.outputs().size()
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
            throw new OipFormatException(server + ": the model takes " + in.datatype() + Arrays.toString(in.shape())
                    + " and gives " + out.datatype() + Arrays.toString(out.shape()) + "; DDColor takes FP32 [N,3,S,S] and gives"
                    + " FP32 [N,2,S,S]");
        }
        return new ModelInfo(in.name(), out.name(), is, os, (int) is[2], is[0] < 0, false);
    }

    /** One round of readiness checks: a server that answers is back; one that does not is set aside until it does. */
    void probe() {
        for (InferenceServer server : servers) {
            if (server.isReady()) {
                if (downUntil.remove(server) != null) {
                    log.info("inference server {} is ready again", server);
                }
            } else if (!downUntil.containsKey(server) || downUntil.get(server).isBefore(clock.instant().plus(PROBE_EVERY))) {
                if (!downUntil.containsKey(server)) {
                    log.warn("inference server {} is not ready", server);
                }
                downUntil.put(server, clock.instant().plus(PROBE_EVERY.multipliedBy(2)));
            }
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public boolean isReady() {
        Instant now = clock.instant();
        return servers.stream().anyMatch(s -> !downUntil.getOrDefault(s, Instant.MIN).isAfter(now));
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
        for (int attempt = 0; attempt < servers.size(); attempt++) {
            InferenceServer server = pick(tried);
            if (server == null) {
                break;
            }
            tried.add(server);
            try {
                List<OipTensor> outputs = server.infer(List.of(input), List.of(info.outputName()));
                return split(outputs, tensors.length, size, server);
            } catch (IOException | OipFormatException e) {
                log.warn("inference on {} failed ({}); trying another server", server, e.getMessage());
                failures.add(server + ": " + e.getMessage());
                downUntil.put(server, clock.instant().plus(SET_ASIDE));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ColorizationException("interrupted while waiting for an inference server");
            }
        }
        throw new ColorizationException("no inference server could run the model"
                + (failures.isEmpty() ? " (none is reachable)" : ": " + String.join("; ", failures)));
    }

    /** The least busy server not yet tried that is not set aside; else any untried one (a last chance). */
    private InferenceServer pick(List<InferenceServer> tried) {
        Instant now = clock.instant();
        Comparator<InferenceServer> busy = Comparator.comparingInt(InferenceServer::inFlight);
        return servers.stream().filter(s -> !tried.contains(s))
                .filter(s -> !downUntil.getOrDefault(s, Instant.MIN).isAfter(now)).min(busy)
                .orElse(null);
    }

    private float[][] split(List<OipTensor> outputs, int n, int size, InferenceServer server) throws OipFormatException {
        OipTensor out = outputs.stream().filter(t -> t.name().equals(info.outputName())).findFirst()
                .orElseThrow(() -> new OipFormatException(server + " returned no " + info.outputName()));
        long[] shape = out.shape();
        if (!out.datatype().equals("FP32") || shape.length != 4 || shape[0] != n || shape[1] != 2 || shape[2] != size
                || shape[3] != size) {
            throw new OipFormatException(server + " returned " + out.datatype() + Arrays.toString(shape) + ", expected FP32 ["
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
        if (prober != null) {
            prober.shutdownNow();
        }
    }
}
