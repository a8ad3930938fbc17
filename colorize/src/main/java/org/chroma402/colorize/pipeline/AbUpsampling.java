package org.chroma402.colorize.pipeline;

/**
 * How the model's low-resolution ab channels are brought to the photo's size.
 * {@link #NEAREST} is what DDColor's official inference does ({@code F.interpolate} defaults);
 * {@link #BILINEAR} gives smoother colour edges but differs from the official output.
 */
public enum AbUpsampling {
    NEAREST,
    BILINEAR
}
