package org.chroma402.colorize.pipeline;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageEncoder;
import org.chroma402.colorize.image.ImageException;
import org.chroma402.colorize.image.ImageHeader;
import org.chroma402.colorize.image.OutputFormat;
import org.chroma402.colorize.image.PhotoMetadata;
import org.chroma402.colorize.image.RgbImage;

/**
 * Photo in, colorized photo out: decode → {@link Preprocessor} → the model (through a
 * {@link ColorizationEngine}) → {@link Postprocessor} → encode, timing each stage.
 * Pre- and post-processing run on the caller's thread; only the model run is queued.
 */
public final class ColorizationPipeline {
    private final ImageDecoder decoder;
    private final ImageEncoder encoder;
    private final ColorizationEngine engine;
    private final AbUpsampling upsampling;

    public ColorizationPipeline(ImageDecoder decoder, ImageEncoder encoder, ColorizationEngine engine,
            AbUpsampling upsampling) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.engine = engine;
        this.upsampling = upsampling;
    }

    public ColorizationEngine engine() {
        return engine;
    }

    /** Whether the model's queue is full: a caller taking new, optional work should say no. */
    public boolean isSaturated() {
        return engine.isSaturated();
    }

    /** Reads format and size from the header, enforcing the decoder's limits: the cheap first check. */
    public ImageHeader probe(byte[] encoded) throws ImageException {
        return decoder.probe(encoded);
    }

    /**
     * Proves that {@code encoded} is a photo this pipeline can colorize, within the decoder's
     * limits, without running the model and at a bounded cost ({@link ImageDecoder#verify}): what
     * must hold before anyone is asked to pay for it.
     */
    public void validate(byte[] encoded, Duration budget) throws ImageException {
        decoder.verify(encoded, budget);
    }

    /** {@link #validate}, keeping the decoded photo when the check decoded it whole (photos up to about a megapixel). */
    public ImageDecoder.Verified validateKeeping(byte[] encoded, Duration budget) throws ImageException {
        return decoder.verifyKeeping(encoded, budget);
    }

    /**
     * Colorizes a photo decoded earlier from {@code encoded} (by {@link #validateKeeping}): the same
     * result as {@link #colorize(byte[], OutputFormat, int)} without decoding the bytes again.
     */
    public ColorizedPhoto colorize(RgbImage decoded, byte[] encoded, OutputFormat format, int inputSize)
            throws ColorizationException, InterruptedException {
        return colorize(decoded, encoded, format, inputSize, 1f);
    }

    /** {@link #colorize(RgbImage, byte[], OutputFormat, int)} at colour strength {@code saturation} (0 to 2, 1 as predicted). */
    public ColorizedPhoto colorize(RgbImage decoded, byte[] encoded, OutputFormat format, int inputSize, float saturation)
            throws ColorizationException, InterruptedException {
        return colorizeAndEncode(decoded, 0, encoded, format, inputSize, saturation);
    }

    /** The input size the model renders at when a request does not choose one. */
    public int defaultInputSize() {
        return engine.info().inputSize();
    }

    /** Decodes, colorizes and encodes one photo at the model's own input size. */
    public ColorizedPhoto colorize(byte[] encoded, OutputFormat format)
            throws ImageException, ColorizationException, InterruptedException {
        return colorize(encoded, format, engine.info().inputSize());
    }

    /** Decodes, colorizes at {@code inputSize} (see {@link ModelInfo#accepts}) and encodes one photo. */
    public ColorizedPhoto colorize(byte[] encoded, OutputFormat format, int inputSize)
            throws ImageException, ColorizationException, InterruptedException {
        return colorize(encoded, format, inputSize, 1f);
    }

    /**
     * Decodes, colorizes at {@code inputSize} with the predicted colours scaled by {@code saturation}
     * (0: grey, 1: as predicted, 2: twice as strong; see {@link Postprocessor}) and encodes one photo.
     */
    public ColorizedPhoto colorize(byte[] encoded, OutputFormat format, int inputSize, float saturation)
            throws ImageException, ColorizationException, InterruptedException {
        long t0 = System.nanoTime();
        RgbImage image = decoder.decode(encoded);
        return colorizeAndEncode(image, System.nanoTime() - t0, encoded, format, inputSize, saturation);
    }

    /** Colorizes a photo decoded from {@code encoded} and encodes it with the input's metadata and the colorized mark. */
    private ColorizedPhoto colorizeAndEncode(RgbImage image, long decodeNanos, byte[] encoded, OutputFormat format, int inputSize,
            float saturation) throws ColorizationException, InterruptedException {
        Colorized result = colorize(image, inputSize, saturation);
        long t1 = System.nanoTime();
        byte[] bytes = PhotoMetadata.forColorizationOf(encoded, software(inputSize, saturation))
                .writeTo(encoder.encode(result.image(), format), format);
        long encode = System.nanoTime() - t1;
        return new ColorizedPhoto(bytes, format, image.width(), image.height(),
                result.timings().withDecodeAndEncode(decodeNanos, encode));
    }

    /** How the output names what made it (its XMP CreatorTool and PNG Software). */
    private String software(int inputSize, float saturation) {
        // Only a changed strength is named, so the default output stays what it always was.
        return "Chroma402, DDColor model " + engine.name() + " at " + inputSize + "x" + inputSize
                + (saturation == 1f ? "" : ", colour strength " + saturation);
    }

    /** A colorized image with the timings of the stages that made it. */
    public record Colorized(RgbImage image, StageTimings timings) {
    }

    /** Colorizes a decoded image at the model's own input size. */
    public Colorized colorize(RgbImage image) throws ColorizationException, InterruptedException {
        return colorize(image, engine.info().inputSize());
    }

    /**
     * Colorizes a decoded image, rendering the colours at {@code size}×{@code size} as the
     * official pipeline's {@code --input_size} does: larger sizes resolve finer colour detail
     * and cost more time.
     */
    public Colorized colorize(RgbImage image, int size) throws ColorizationException, InterruptedException {
        return colorize(image, size, 1f);
    }

    /** {@link #colorize(RgbImage, int)} with the predicted colours scaled by {@code saturation} (0 to 2). */
    public Colorized colorize(RgbImage image, int size, float saturation) throws ColorizationException, InterruptedException {
        if (!(saturation >= 0f && saturation <= Postprocessor.MAX_SATURATION)) {
            // Before the model runs: a bad strength must not cost an inference.
            throw new ColorizationException("colour strength " + saturation + " is not within 0 to " + Postprocessor.MAX_SATURATION);
        }
        if (!engine.info().accepts(size)) {
            throw new ColorizationException(engine.info().dynamicSize()
                    ? "input size " + size + " is not one of " + ModelInfo.MIN_INPUT_SIZE + " to " + ModelInfo.MAX_INPUT_SIZE
                            + " in steps of " + ModelInfo.INPUT_SIZE_STEP
                    : "this model renders only at " + engine.info().inputSize() + ", not " + size);
        }
        long t0 = System.nanoTime();
        PreparedImage prepared = Preprocessor.prepare(image, size);
        long t1 = System.nanoTime();
        CompletableFuture<ColorizationEngine.Inference> future = engine.infer(prepared.tensor());
        ColorizationEngine.Inference inference;
        try {
            inference = future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ColorizationException ce) {
                throw ce;
            }
            throw new ColorizationException("the model failed: " + cause.getMessage(), cause);
        }
        long t2 = System.nanoTime();
        RgbImage colorized = Postprocessor.finish(image, inference.ab(), size, upsampling, saturation);
        long t3 = System.nanoTime();
        long waited = Math.max(0, (t2 - t1) - inference.runNanos());
        return new Colorized(colorized, new StageTimings(0, t1 - t0, waited, inference.runNanos(), t3 - t2, 0));
    }
}
