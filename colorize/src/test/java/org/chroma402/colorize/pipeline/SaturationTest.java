package org.chroma402.colorize.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.color.OpenCvLab;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageEncoder;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.image.OutputFormat;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Colour strength: the predicted ab scaled before the merge with the photo's own lightness. */
class SaturationTest {
    private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULTS);
    private static final byte[] PHOTO = TestResources.bytes("fixtures/inputs/buffalo.png");
    private static ColorizationEngine engine;
    private static ColorizationPipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        engine = new ColorizationEngine(ModelSession.open(TestResources.tinyModel(), SessionSettings.DEFAULTS),
                new EngineSettings(1, 4, 16), "saturation").start();
        pipeline = new ColorizationPipeline(DECODER, new ImageEncoder(), engine, AbUpsampling.NEAREST);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void strengthOneIsTodaysOutputByteForByte() throws Exception {
        int size = pipeline.defaultInputSize();
        byte[] today = pipeline.colorize(PHOTO, OutputFormat.PNG).bytes();
        assertThat(pipeline.colorize(PHOTO, OutputFormat.PNG, size, 1f).bytes()).isEqualTo(today);
        RgbImage decoded = DECODER.decode(PHOTO);
        assertThat(pipeline.colorize(decoded, PHOTO, OutputFormat.PNG, size, 1f).bytes()).isEqualTo(today);
    }

    @Test
    void strengthZeroIsGreyAtThePhotosOwnLightness() throws Exception {
        RgbImage in = DECODER.decode(PHOTO);
        RgbImage out = pipeline.colorize(in, pipeline.defaultInputSize(), 0f).image();
        byte[] a = in.rgb();
        byte[] b = out.rgb();
        for (int p = 0; p < in.pixels(); p++) {
            int r = b[3 * p] & 0xff;
            int g = b[3 * p + 1] & 0xff;
            int bl = b[3 * p + 2] & 0xff;
            assertThat(g).as("pixel %d is grey", p).isEqualTo(r);
            assertThat(bl).as("pixel %d is grey", p).isEqualTo(r);
            float lIn = OpenCvLab.lightness8(a[3 * p + 2] & 0xff, a[3 * p + 1] & 0xff, a[3 * p] & 0xff);
            float lOut = OpenCvLab.lightness8(bl, g, r);
            assertThat(lOut).as("pixel %d keeps its lightness", p).isEqualTo(lIn);
        }
    }

    @Test
    void strengthTwoIsMoreColourfulThanOne() throws Exception {
        RgbImage in = DECODER.decode(PHOTO);
        double one = meanChroma(pipeline.colorize(in, pipeline.defaultInputSize(), 1f).image());
        double two = meanChroma(pipeline.colorize(in, pipeline.defaultInputSize(), 2f).image());
        assertThat(two).isGreaterThan(one * 1.3);
    }

    @Test
    void strengthsOutsideZeroToTwoAreRefusedBeforeTheModelRuns() throws Exception {
        RgbImage in = DECODER.decode(PHOTO);
        for (float bad : new float[] {-0.01f, 2.01f, Float.NaN, Float.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> pipeline.colorize(in, pipeline.defaultInputSize(), bad))
                    .isInstanceOf(ColorizationException.class).hasMessageContaining("colour strength");
        }
    }

    /** The mean of max(R,G,B) − min(R,G,B): zero for grey, larger for stronger colour. */
    private static double meanChroma(RgbImage image) {
        byte[] rgb = image.rgb();
        long sum = 0;
        for (int p = 0; p < image.pixels(); p++) {
            int r = rgb[3 * p] & 0xff;
            int g = rgb[3 * p + 1] & 0xff;
            int b = rgb[3 * p + 2] & 0xff;
            sum += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
        }
        return sum / (double) image.pixels();
    }
}
