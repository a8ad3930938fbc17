package org.chroma402.colorize.pipeline;

/**
 * How to run ONNX Runtime: thread counts (0 lets ONNX Runtime choose), whether to ask for the
 * CUDA execution provider, and the input size to use when a model leaves it dynamic
 * (DDColor's default is 512).
 */
public record SessionSettings(int intraOpThreads, int interOpThreads, boolean cuda, int cudaDevice,
        int defaultInputSize) {
    public static final int DDCOLOR_INPUT_SIZE = 512;
    public static final SessionSettings DEFAULTS = new SessionSettings(0, 1, false, 0, DDCOLOR_INPUT_SIZE);

    public SessionSettings {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must not be negative");
        }
        if (defaultInputSize < 16 || defaultInputSize > 4096) {
            throw new IllegalArgumentException("input size must be between 16 and 4096, got " + defaultInputSize);
        }
    }
}
