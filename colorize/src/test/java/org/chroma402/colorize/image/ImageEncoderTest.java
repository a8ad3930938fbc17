package org.chroma402.colorize.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.Test;

class ImageEncoderTest {
    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULTS);

    @Test
    void pngRoundTripsExactlyWithAlpha() throws Exception {
        RgbImage rgba = decoder.decode(TestResources.bytes("formats/rgba.png"));
        RgbImage back = decoder.decode(new ImageEncoder().encode(rgba, OutputFormat.PNG));
        assertThat(back.rgb()).isEqualTo(rgba.rgb());
        assertThat(back.alpha()).isEqualTo(rgba.alpha());
    }

    @Test
    void jpegHonoursQualityAndFlattensAlpha() throws Exception {
        RgbImage rgba = decoder.decode(TestResources.bytes("formats/rgba.png"));
        byte[] high = new ImageEncoder(0.95f).encode(rgba, OutputFormat.JPEG);
        byte[] low = new ImageEncoder(0.3f).encode(rgba, OutputFormat.JPEG);
        assertThat(low.length).isLessThan(high.length);
        RgbImage back = decoder.decode(high);
        assertThat(back.alpha()).isNull();
        assertThat(back.width()).isEqualTo(rgba.width());
        // Fully transparent pixels become white.
        assertThat(back.rgb()[0] & 0xff).isGreaterThan(240);
    }

    @Test
    void outputFormatsParseFromNamesAndMediaTypes() {
        assertThat(OutputFormat.parse("image/jpeg")).isEqualTo(OutputFormat.JPEG);
        assertThat(OutputFormat.parse("JPG")).isEqualTo(OutputFormat.JPEG);
        assertThat(OutputFormat.parse("png")).isEqualTo(OutputFormat.PNG);
    }
}
