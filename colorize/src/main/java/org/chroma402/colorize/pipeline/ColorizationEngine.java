package org.chroma402.colorize.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.chroma402.colorize.ColorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one {@link ModelRunner} (ONNX Runtime here, or remote inference servers) from a queue with a fixed number of worker threads, so at most
 * {@code maxConcurrentRuns} model runs happen at once whatever the number of callers. When the
 * model has a dynamic batch axis, a worker takes every waiting tensor (up to {@code maxBatch})
 * into one run; it never waits for more to arrive, so batching adds no latency.
 */
public final class ColorizationEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ColorizationEngine.class);

    private final ModelRunner session;
    private final EngineSettings settings;
    private final BlockingDeque<Request> queue = new LinkedBlockingDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    /**
     * How long closing waits for a model run in progress (closing the session under it crashes the
     * JVM). Short, because it comes after the server's shutdown grace and stop timeouts count both
     * (systemd's TimeoutStopSec): a stop that took grace + 30 s went past them.
     */
    private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);
    private volatile boolean closed;

    private record Request(float[] tensor, CompletableFuture<Inference> result, long enqueuedNanos) {
    }

    /** One model prediction, with how long it waited in the queue and how long its run took. */
    public record Inference(float[] ab, long waitedNanos, long runNanos, int batchSize) {
    }

    private final String name;

    public ColorizationEngine(ModelRunner session, EngineSettings settings, String name) {
        this.session = session;
        this.settings = settings;
        this.name = name;
    }

    /** Starts the workers; tensors queued before this wait for it. */
    public synchronized ColorizationEngine start() {
        if (workers.isEmpty()) {
            for (int i = 0; i < settings.maxConcurrentRuns(); i++) {
                Thread worker = new Thread(this::work, "model-" + name + "-" + i);
                worker.setDaemon(true);
                worker.start();
                workers.add(worker);
            }
        }
        return this;
    }

    /** The model's name, as the catalogue (or the file) names it. */
    public String name() {
        return name;
    }

    public ModelInfo info() {
        return session.info();
    }

    public EngineSettings settings() {
        return settings;
    }

    /** Tensors waiting for the model. */
    public int queued() {
        return queue.size();
    }

    /** Model runs in progress. */
    public int running() {
        return running.get();
    }

    /** Whether a run could start now: false when the model runs on inference servers and none is ready. */
    public boolean isReady() {
        return session.isReady();
    }

    /** Why a run could not start now (e.g. "no inference server is ready: connection refused"); empty when it could. */
    public Optional<String> whyNotReady() {
        return session.whyNotReady();
    }

    /**
     * Whether new unpaid work should be turned away: {@code maxQueued} tensors are already waiting,
     * or nothing could run them now (no inference server is ready).
     */
    public boolean isSaturated() {
        return queue.size() >= settings.maxQueued() || !session.isReady();
    }

    /** Queues one prepared tensor; the future gives its ab prediction. Never refuses for load. */
    public CompletableFuture<Inference> infer(float[] tensor) {
        CompletableFuture<Inference> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new ColorizationException("the colorization engine is shut down"));
            return result;
        }
        queue.add(new Request(tensor, result, System.nanoTime()));
        return result;
    }

    private void work() {
        int maxBatch = session.info().dynamicBatch() ? settings.maxBatch() : 1;
        List<Request> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, maxBatch - 1);
            // One run takes one input size: requests at other sizes go back to the head of the queue.
            int size = batch.get(0).tensor().length;
            List<Request> others = new ArrayList<>();
            batch.removeIf(r -> r.tensor().length != size && others.add(r));
            for (int i = others.size() - 1; i >= 0; i--) {
                queue.addFirst(others.get(i));
            }
            running.incrementAndGet();
            try {
                float[][] tensors = new float[batch.size()][];
                for (int i = 0; i < tensors.length; i++) {
                    tensors[i] = batch.get(i).tensor();
                }
                long start = System.nanoTime();
                float[][] ab = session.run(tensors);
                long runNanos = System.nanoTime() - start;
                for (int i = 0; i < ab.length; i++) {
                    Request r = batch.get(i);
                    r.result().complete(new Inference(ab[i], start - r.enqueuedNanos(), runNanos, ab.length));
                }
            } catch (ColorizationException | RuntimeException e) {
                log.error("model run failed for {} image(s): {}", batch.size(), e.getMessage());
                for (Request r : batch) {
                    r.result().completeExceptionally(e);
                }
            } finally {
                running.decrementAndGet();
                batch.clear();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        Request pending;
        while ((pending = queue.poll()) != null) {
            pending.result().completeExceptionally(new ColorizationException("the colorization engine is shut down"));
        }
        // A run cannot be interrupted, and closing the session under it crashes the JVM in native
        // code: wait for the runs in progress to end, and leave the session to the process's exit
        // if one does not end in time.
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Thread worker : workers) {
            try {
                worker.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (workers.stream().anyMatch(Thread::isAlive)) {
            log.warn("a model run did not end within {} s of closing; its session is left open", CLOSE_WAIT.toSeconds());
            return;
        }
        session.close();
    }
}
