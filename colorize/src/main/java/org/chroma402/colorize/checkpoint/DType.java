package org.chroma402.colorize.checkpoint;

import java.nio.ByteBuffer;
import java.util.Locale;

/** The element types a checkpoint's tensors can have, with their sizes in bytes. */
public enum DType {
    F64(8, true), F32(4, true), F16(2, true), BF16(2, true), I64(8, false), I32(4, false), I16(2, false), I8(1, false),
    U8(1, false), BOOL(1, false);

    private final int size;
    private final boolean floating;

    DType(int size, boolean floating) {
        this.size = size;
        this.floating = floating;
    }

    public int size() {
        return size;
    }

    public boolean isFloating() {
        return floating;
    }

    /** The type of a safetensors header's {@code dtype} ("F32", "BF16", …). */
    static DType ofSafetensors(String name) throws CheckpointException {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("unknown tensor dtype '" + name + "'");
        }
    }

    /** Copies the whole elements remaining in {@code in} (little-endian) into {@code out} as little-endian float32. */
    void copyAsFloat32(ByteBuffer in, ByteBuffer out) {
        if (this == F32) {
            out.put(in);
            return;
        }
        while (in.remaining() >= size) {
            out.putFloat(readFloat(in));
        }
    }

    /** Reads one element at the buffer's position (little-endian) as a float. */
    float readFloat(ByteBuffer in) {
        return switch (this) {
            case F32 -> in.getFloat();
            case F64 -> (float) in.getDouble();
            case F16 -> halfToFloat(in.getShort());
            case BF16 -> Float.intBitsToFloat((in.getShort() & 0xFFFF) << 16);
            default -> throw new IllegalStateException(this + " is not a floating-point type");
        };
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            // Subnormal: value = mantissa * 2^-24.
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
