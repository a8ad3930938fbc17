package org.chroma402.colorize.pipeline;

import java.util.Optional;
import org.chroma402.colorize.ColorizationException;

/**
 * What runs the model for a {@link ColorizationEngine}: ONNX Runtime in this process
 * ({@link ModelSession}), or inference servers elsewhere ({@code RemoteModelRunner}). Pre- and
 * post-processing stay with the engine's caller either way, so the results are the same.
 */
public interface ModelRunner extends AutoCloseable {

    /** What the model takes and gives. */
    ModelInfo info();

    /**
     * Runs the model on one or more prepared tensors (several only if the model has a dynamic
     * batch axis) and returns one ab array ({@code 2·S·S}) per input, in order.
     */
    float[][] run(float[][] tensors) throws ColorizationException;

    /** Whether a run could start now; false when no inference server is reachable. */
    default boolean isReady() {
        return true;
    }

    /** Why a run could not start now, in words a client may read (no addresses); empty when it could. */
    default Optional<String> whyNotReady() {
        return Optional.empty();
    }

    @Override
    void close();
}
