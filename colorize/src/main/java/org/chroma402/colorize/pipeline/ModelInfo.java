package org.chroma402.colorize.pipeline;

import java.util.Arrays;

/** What a loaded model takes and gives, read from the model itself. */
public record ModelInfo(String inputName, String outputName, long[] inputShape, long[] outputShape, int inputSize,
        boolean dynamicBatch, boolean dynamicSize) {

    public ModelInfo {
        inputShape = inputShape.clone();
        outputShape = outputShape.clone();
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public long[] outputShape() {
        return outputShape.clone();
    }

    @Override
    public String toString() {
        return "ModelInfo[" + inputName + Arrays.toString(inputShape) + " -> " + outputName
                + Arrays.toString(outputShape) + ", size " + inputSize + "]";
    }
}
