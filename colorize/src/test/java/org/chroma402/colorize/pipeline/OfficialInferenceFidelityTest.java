package org.chroma402.colorize.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageEncoder;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java pipeline against DDColor's official inference, computed by
 * {@code src/test/python/make_fixtures.py} with OpenCV and the same tiny model run by OpenCV's
 * DNN module: every 8-bit channel within ±1, and nearly all identical.
 */
class OfficialInferenceFidelityTest {
    private static ColorizationEngine engine;
    private static ColorizationPipeline pipeline;
    private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULTS);

    @BeforeAll
    static void loadModel() throws Exception {
        engine = new ColorizationEngine(ModelSession.open(TestResources.tinyModel(), SessionSettings.DEFAULTS),
                new EngineSettings(1, 4, 16), "tiny-test").start();
        pipeline = new ColorizationPipeline(DECODER, new ImageEncoder(), engine, AbUpsampling.NEAREST);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"buffalo", "keller", "keller-grey8", "nipomo", "detroit", "gradient", "tiny"})
    void matchesTheOfficialOutputWithinOne(String name) throws Exception {
        RgbImage input = DECODER.decode(TestResources.bytes("fixtures/inputs/" + name + ".png"));
        RgbImage expected = DECODER.decode(TestResources.bytes("fixtures/expected/" + name + ".png"));
        RgbImage actual = pipeline.colorize(input).image();

        assertThat(actual.width()).isEqualTo(expected.width());
        assertThat(actual.height()).isEqualTo(expected.height());
        int maxDiff = 0;
        int exact = 0;
        byte[] a = actual.rgb();
        byte[] e = expected.rgb();
        for (int i = 0; i < a.length; i++) {
            int d = Math.abs((a[i] & 0xff) - (e[i] & 0xff));
            maxDiff = Math.max(maxDiff, d);
            if (d == 0) {
                exact++;
            }
        }
        double exactShare = exact / (double) a.length;
        System.out.printf("%s: max diff %d, %.4f%% of channels identical%n", name, maxDiff, 100 * exactShare);
        assertThat(maxDiff).as("largest difference in any 8-bit channel").isLessThanOrEqualTo(1);
        assertThat(exactShare).as("share of identical channels").isGreaterThan(0.995);
    }
}
