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

    /** The render sizes a request may ask for, as the official pipeline's {@code --input_size}: 256 to 1024 in steps of 32. */
    public static final int MIN_INPUT_SIZE = 256;
    public static final int MAX_INPUT_SIZE = 1024;
    public static final int INPUT_SIZE_STEP = 32;

    /** Whether this model can render at {@code size}: its own size, or any offered size when it leaves the size dynamic. */
    public boolean accepts(int size) {
        return size == inputSize || (dynamicSize && isOfferedSize(size));
    }

    public static boolean isOfferedSize(int size) {
        return size >= MIN_INPUT_SIZE && size <= MAX_INPUT_SIZE && size % INPUT_SIZE_STEP == 0;
    }

    /** The square input size of a prepared tensor of {@code 3·S·S} values. */
    public static int sizeOf(float[] tensor) {
        int size = (int) Math.round(Math.sqrt(tensor.length / 3.0));
        if (3 * size * size != tensor.length) {
            throw new IllegalArgumentException("a tensor of " + tensor.length + " values is not 3·S·S");
        }
        return size;
    }

    @Override
    public String toString() {
        return "ModelInfo[" + inputName + Arrays.toString(inputShape) + " -> " + outputName
                + Arrays.toString(outputShape) + ", size " + inputSize + "]";
    }
}
