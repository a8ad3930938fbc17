package org.chroma402.colorize.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageEncoder;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.image.OutputFormat;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ColorizationPipelineTest {
    private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULTS);
    private static ColorizationEngine engine;

    @BeforeAll
    static void start() throws Exception {
        engine = new ColorizationEngine(ModelSession.open(TestResources.tinyModel(), SessionSettings.DEFAULTS),
                new EngineSettings(1, 4, 16), "pipeline").start();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static ColorizationPipeline pipeline(AbUpsampling upsampling) {
        return new ColorizationPipeline(DECODER, new ImageEncoder(), engine, upsampling);
    }

    @Test
    void outputHasTheInputsSizeAndAlpha() throws Exception {
        ColorizedPhoto photo = pipeline(AbUpsampling.NEAREST).colorize(TestResources.bytes("formats/rgba.png"), OutputFormat.PNG);
        RgbImage out = DECODER.decode(photo.bytes());
        RgbImage in = DECODER.decode(TestResources.bytes("formats/rgba.png"));
        assertThat(out.width()).isEqualTo(61);
        assertThat(out.height()).isEqualTo(47);
        assertThat(out.alpha()).isEqualTo(in.alpha());
        assertThat(photo.timings().inferenceNanos()).isPositive();
        assertThat(photo.timings().decodeNanos()).isPositive();
        assertThat(photo.timings().encodeNanos()).isPositive();
    }

    @Test
    void orientedPhotosComeOutUpright() throws Exception {
        ColorizedPhoto photo = pipeline(AbUpsampling.NEAREST)
                .colorize(TestResources.bytes("formats/exif-orientation-6.jpg"), OutputFormat.JPEG);
        RgbImage out = DECODER.decode(photo.bytes());
        assertThat(out.width()).isEqualTo(47);
        assertThat(out.height()).isEqualTo(61);
        assertThat(photo.format()).isEqualTo(OutputFormat.JPEG);
    }

    @Test
    void colourInputKeepsItsLightnessOnly() throws Exception {
        RgbImage colour = DECODER.decode(TestResources.bytes("formats/colour.png"));
        RgbImage grey = greyOf(colour);
        RgbImage fromColour = pipeline(AbUpsampling.NEAREST).colorize(colour).image();
        RgbImage fromGrey = pipeline(AbUpsampling.NEAREST).colorize(grey).image();
        // Same lightness in, nearly the same result out: the input's own colours are discarded.
        long sum = 0;
        for (int i = 0; i < fromColour.rgb().length; i++) {
            sum += Math.abs((fromColour.rgb()[i] & 0xff) - (fromGrey.rgb()[i] & 0xff));
        }
        assertThat(sum / (double) fromColour.rgb().length).isLessThan(8.0);
    }

    @Test
    void bilinearUpsamplingIsAvailableAndDiffersOnlySlightly() throws Exception {
        RgbImage in = DECODER.decode(TestResources.bytes("fixtures/inputs/buffalo.png"));
        RgbImage nearest = pipeline(AbUpsampling.NEAREST).colorize(in).image();
        RgbImage bilinear = pipeline(AbUpsampling.BILINEAR).colorize(in).image();
        long sum = 0;
        for (int i = 0; i < nearest.rgb().length; i++) {
            sum += Math.abs((nearest.rgb()[i] & 0xff) - (bilinear.rgb()[i] & 0xff));
        }
        double mean = sum / (double) nearest.rgb().length;
        assertThat(mean).isGreaterThan(0.0).isLessThan(10.0);
    }

    private static RgbImage greyOf(RgbImage colour) {
        // Grey with the same Lab lightness, found by searching the grey level per pixel.
        byte[] rgb = new byte[colour.rgb().length];
        for (int p = 0; p < colour.width() * colour.height(); p++) {
            float l = Preprocessor.lightness(colour.rgb()[3 * p], colour.rgb()[3 * p + 1], colour.rgb()[3 * p + 2]);
            int best = 0;
            float bestDiff = Float.MAX_VALUE;
            for (int v = 0; v < 256; v++) {
                float d = Math.abs(Preprocessor.lightness((byte) v, (byte) v, (byte) v) - l);
                if (d < bestDiff) {
                    bestDiff = d;
                    best = v;
                }
            }
            rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = (byte) best;
        }
        return new RgbImage(colour.width(), colour.height(), rgb, null);
    }
}
