package org.chroma402.colorize.pipeline;

/**
 * How much the engine may run at once: concurrent model runs (more than one only pays off with
 * several cores per run or a GPU), the batch size used when a model has a dynamic batch axis,
 * and how many prepared images may wait for the model.
 */
public record EngineSettings(int maxConcurrentRuns, int maxBatch, int maxQueued) {

    public EngineSettings {
        if (maxConcurrentRuns < 1 || maxConcurrentRuns > 64) {
            throw new IllegalArgumentException("maxConcurrentRuns must be 1 to 64, got " + maxConcurrentRuns);
        }
        if (maxBatch < 1 || maxBatch > 64) {
            throw new IllegalArgumentException("maxBatch must be 1 to 64, got " + maxBatch);
        }
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be at least 1, got " + maxQueued);
        }
    }
}
