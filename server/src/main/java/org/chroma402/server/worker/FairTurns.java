package org.chroma402.server.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.chroma402.colorize.pipeline.ColorizationEngine;

/**
 * Hands one engine the images of many requests in turns rather than in arrival order, so a small
 * request never waits behind others' big batches: clients (their addresses, an IPv6 one by its
 * /64) take turns, and within a client its requests take turns, one image a turn. Only
 * {@code window} images are in the engine at once (enough to fill its batches); the rest wait here.
 *
 * <p>Before, four requests of 16 images made a one-image request wait for all 64.
 */
final class FairTurns {
    private final ColorizationEngine engine;
    private final int window;
    private final Map<String, ArrayDeque<Request>> waiting = new HashMap<>();
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private int inEngine;

    /** One request's images not yet handed to the engine. */
    private static final class Request {
        final ArrayDeque<Pending> images = new ArrayDeque<>();
    }

    private record Pending(float[] tensor, CompletableFuture<ColorizationEngine.Inference> result) {
    }

    FairTurns(ColorizationEngine engine) {
        this.engine = engine;
        this.window = Math.max(1, engine.settings().maxBatch() * engine.settings().maxConcurrentRuns());
    }

    /** Queues one request's images for {@code client}; the results complete in the images' order. */
    List<CompletableFuture<ColorizationEngine.Inference>> submit(String client, List<float[]> tensors) {
        Request request = new Request();
        List<CompletableFuture<ColorizationEngine.Inference>> results = new ArrayList<>();
        for (float[] t : tensors) {
            CompletableFuture<ColorizationEngine.Inference> result = new CompletableFuture<>();
            request.images.add(new Pending(t, result));
            results.add(result);
        }
        synchronized (this) {
            ArrayDeque<Request> requests = waiting.computeIfAbsent(client, c -> new ArrayDeque<>());
            if (requests.isEmpty()) {
                turns.add(client);
            }
            requests.add(request);
        }
        feed();
        return results;
    }

    /** Images waiting here, not yet in the engine. */
    synchronized int waiting() {
        return waiting.values().stream().mapToInt(rs -> rs.stream().mapToInt(r -> r.images.size()).sum()).sum();
    }

    private void feed() {
        while (true) {
            Pending next;
            synchronized (this) {
                if (inEngine >= window || turns.isEmpty()) {
                    return;
                }
                String client = turns.poll();
                ArrayDeque<Request> requests = waiting.get(client);
                Request request = requests.poll();
                next = request.images.poll();
                if (!request.images.isEmpty()) {
                    requests.add(request);
                }
                if (requests.isEmpty()) {
                    waiting.remove(client);
                } else {
                    turns.add(client);
                }
                inEngine++;
            }
            CompletableFuture<ColorizationEngine.Inference> run;
            try {
                run = engine.infer(next.tensor());
            } catch (RuntimeException e) {
                run = CompletableFuture.failedFuture(e);
            }
            run.whenComplete((inference, error) -> {
                synchronized (this) {
                    inEngine--;
                }
                if (error != null) {
                    next.result().completeExceptionally(error);
                } else {
                    next.result().complete(inference);
                }
                feed();
            });
        }
    }
}
