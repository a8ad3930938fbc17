package org.chroma402.colorize.remote;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of an Open Inference Protocol (KServe v2) message: name, datatype ({@code FP32},
 * {@code UINT32}, {@code BOOL}, …), shape, and its elements as the binary tensor data extension
 * lays them out: little-endian, row major, no padding.
 */
public record OipTensor(String name, String datatype, long[] shape, byte[] data) {

    public OipTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        shape = shape.clone();
        data = data.clone();
    }

    /** An FP32 tensor from floats. */
    public static OipTensor fp32(String name, long[] shape, float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return new OipTensor(name, "FP32", shape, buffer.array());
    }

    /** The elements of an FP32 tensor. */
    public float[] floats() {
        if (!datatype.equals("FP32")) {
            throw new IllegalStateException(name + " is " + datatype + ", not FP32");
        }
        float[] out = new float[data.length / 4];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** How many elements the shape holds. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes per element of a datatype, or -1 for one this code does not size (BYTES). */
    public static int elementSize(String datatype) {
        return switch (datatype) {
            case "BOOL", "UINT8", "INT8" -> 1;
            case "UINT16", "INT16", "FP16", "BF16" -> 2;
            case "UINT32", "INT32", "FP32" -> 4;
            case "UINT64", "INT64", "FP64" -> 8;
            default -> -1;
        };
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OipTensor t && name.equals(t.name) && datatype.equals(t.datatype)
                && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "OipTensor[" + name + " " + datatype + Arrays.toString(shape) + ", " + data.length + " bytes]";
    }
}
