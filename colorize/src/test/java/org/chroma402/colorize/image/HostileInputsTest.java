package org.chroma402.colorize.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-made hostile corpus (src/test/resources/hostile, see make_test_images.py): every file
 * gets a typed error with a message, or decodes when it is a real photo with broken metadata.
 */
class HostileInputsTest {
    private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULTS);

    static Stream<Arguments> corpus() throws Exception {
        JsonNode index = new ObjectMapper().readTree(TestResources.bytes("hostile/index.json")).get("expected");
        List<Arguments> out = new ArrayList<>();
        index.fields().forEachRemaining(e -> out.add(Arguments.of(e.getKey(), e.getValue().asText())));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("corpus")
    void everyHostileFileGetsATypedErrorOrDecodesSafely(String file, String expected) {
        byte[] data = TestResources.bytes("hostile/" + file);
        try {
            RgbImage image = DECODER.decode(data);
            if (!expected.startsWith("OK")) {
                fail(file + " decoded to " + image + " but should have been refused as " + expected);
            }
        } catch (ImageException e) {
            assertThat(e.getMessage()).isNotBlank();
            if (expected.equals("OK")) {
                fail(file + " should decode but was refused: " + e.getMessage());
            } else if (expected.equals("OK_OR_TOO_MANY_PIXELS")) {
                assertThat(e.reason()).isEqualTo(ImageException.Reason.TOO_MANY_PIXELS);
            } else {
                // Some files are refused for one of two reasons depending on what the decoder reads first.
                assertThat(expected.split("\\|")).as(e.getMessage()).contains(e.reason().name());
            }
        }
    }

    @ParameterizedTest(name = "probe {0}")
    @MethodSource("corpus")
    void probingNeverThrowsAnythingButImageException(String file, String expected) {
        try {
            DECODER.probe(TestResources.bytes("hostile/" + file));
        } catch (ImageException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
