package org.chroma402.colorize.pipeline;

import org.chroma402.colorize.image.RgbImage;

/**
 * A photo ready for the model: the original (whose lightness the output keeps) and the model's
 * input tensor, grey RGB in CHW order at the model's input size.
 */
public record PreparedImage(RgbImage original, float[] tensor, int inputSize) {
    public PreparedImage {
        if (tensor.length != 3 * inputSize * inputSize) {
            throw new IllegalArgumentException("tensor has " + tensor.length + " values for input size " + inputSize);
        }
    }
}
