package org.chroma402.colorize.image;

/** What an image's header says, read without decoding its pixels. Sides are after orientation. */
public record ImageHeader(ImageFormat format, int width, int height, int orientation) {
    public long pixels() {
        return (long) width * height;
    }
}
