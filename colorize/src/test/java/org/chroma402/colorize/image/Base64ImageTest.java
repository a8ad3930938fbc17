package org.chroma402.colorize.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Base64ImageTest {
    private static final ImageLimits LIMITS = new ImageLimits(1_000, 1_000_000);
    private static final byte[] BYTES = {(byte) 0xfb, (byte) 0xff, 0x3e, 1, 2};

    @Test
    void acceptsEveryAlphabetPaddingAndPrefix() throws Exception {
        String standard = Base64.getEncoder().encodeToString(BYTES);
        assertThat(standard).contains("+").contains("/").endsWith("=");
        for (String form : new String[] {standard, standard.replace("=", ""),
            Base64.getUrlEncoder().encodeToString(BYTES), Base64.getUrlEncoder().withoutPadding().encodeToString(BYTES),
            "data:image/png;base64," + standard, "DATA:image/jpeg;name=x.jpg;base64," + standard,
            "  " + standard.substring(0, 4) + "\n" + standard.substring(4) + "\r\n"}) {
            assertThat(Base64Image.decode(form, LIMITS)).as(form).isEqualTo(BYTES);
        }
    }

    @Test
    void refusesWhatIsNotBase64WithAClearMessage() {
        assertThatThrownBy(() -> Base64Image.decode("abc$def", LIMITS)).hasMessageContaining("unexpected character '$'");
        assertThatThrownBy(() -> Base64Image.decode("ab=cd", LIMITS)).hasMessageContaining("padding in the middle");
        assertThatThrownBy(() -> Base64Image.decode("abcde", LIMITS)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> Base64Image.decode("", LIMITS))
                .satisfies(e -> assertThat(((ImageException) e).reason()).isEqualTo(ImageException.Reason.EMPTY));
        assertThatThrownBy(() -> Base64Image.decode("data:image/png,abc", LIMITS)).hasMessageContaining("not a base64 one");
        assertThatThrownBy(() -> Base64Image.decode("====", LIMITS)).hasMessageContaining("no bytes");
    }

    @Test
    void refusesOversizedImagesBeforeDecoding() {
        String big = "A".repeat(4_000);
        assertThatThrownBy(() -> Base64Image.decode(big, LIMITS))
                .satisfies(e -> assertThat(((ImageException) e).reason()).isEqualTo(ImageException.Reason.TOO_LARGE))
                .hasMessageContaining("the limit is");
    }

    @Property(tries = 300)
    void roundTripsAnyBytes(@ForAll @Size(min = 1, max = 700) byte[] bytes) throws Exception {
        assertThat(Base64Image.decode(Base64.getEncoder().encodeToString(bytes), LIMITS)).isEqualTo(bytes);
        assertThat(Base64Image.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), LIMITS))
                .isEqualTo(bytes);
    }

    @Property(tries = 300)
    void arbitraryTextFailsOnlyWithImageException(@ForAll @Size(max = 300) String text) {
        try {
            Base64Image.decode(text, LIMITS);
        } catch (ImageException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
