package org.chroma402.onnx;

/**
 * Weights in int8 the way both quantizers store them: one scale per output channel,
 * {@code max |w| / 127} (1 for an all-zero channel), values rounded half to even (as numpy and
 * ONNX Runtime's own quantizer round) and kept in [-127, 127], zero point 0.
 */
final class SymmetricInt8 {
    private SymmetricInt8() {
    }

    record Quantized(byte[] values, float[] scales) {
    }

    /** {@code values} as {@code channels} rows of equal length, one output channel each. */
    static Quantized perRow(float[] values, int channels) {
        int per = values.length / channels;
        float[] scales = new float[channels];
        byte[] out = new byte[values.length];
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = c * per; i < (c + 1) * per; i++) {
                max = Math.max(max, Math.abs(values[i]));
            }
            scales[c] = max == 0 ? 1f : max / 127f;
            for (int i = c * per; i < (c + 1) * per; i++) {
                out[i] = (byte) Math.max(-127, Math.min(127, (int) Math.rint(values[i] / scales[c])));
            }
        }
        return new Quantized(out, scales);
    }
}
