package org.chroma402.colorize.pipeline;

import org.chroma402.colorize.image.OutputFormat;

/** A finished colorization: the encoded image and how long each stage took. */
public record ColorizedPhoto(byte[] bytes, OutputFormat format, int width, int height, StageTimings timings) {
}
