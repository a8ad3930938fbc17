package org.chroma402.colorize.checkpoint;

/**
 * How big a checkpoint may be before it is refused unread: the whole file, the pickle (or
 * safetensors header) that describes it, and the number of tensors. The defaults fit the
 * official DDColor-L checkpoint (912 MB, about 600 tensors) with room to spare.
 */
public record CheckpointLimits(long maxFileBytes, int maxHeaderBytes, int maxTensors) {
    public static final CheckpointLimits DEFAULT = new CheckpointLimits(4L << 30, 64 << 20, 100_000);

    public CheckpointLimits {
        if (maxFileBytes <= 0 || maxHeaderBytes <= 0 || maxTensors <= 0) {
            throw new IllegalArgumentException("checkpoint limits must be positive");
        }
    }
}
