package org.chroma402.colorize.pipeline;

/** Where one colorization spent its time, in nanoseconds. Waiting for the model is its own stage. */
public record StageTimings(long decodeNanos, long preprocessNanos, long queueNanos, long inferenceNanos,
        long postprocessNanos, long encodeNanos) {

    public long totalNanos() {
        return decodeNanos + preprocessNanos + queueNanos + inferenceNanos + postprocessNanos + encodeNanos;
    }

    /** Everything but the model run and the wait for it: what Chroma402 itself adds. */
    public long overheadNanos() {
        return decodeNanos + preprocessNanos + postprocessNanos + encodeNanos;
    }

    StageTimings withDecodeAndEncode(long decode, long encode) {
        return new StageTimings(decode, preprocessNanos, queueNanos, inferenceNanos, postprocessNanos, encode);
    }
}
