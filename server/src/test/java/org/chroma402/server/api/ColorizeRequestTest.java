package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.chroma402.colorize.image.ImageLimits;
import org.junit.jupiter.api.Test;

/** The colorize-image body as the API parses it, without HTTP. */
class ColorizeRequestTest {
    private static final ImageLimits LIMITS = new ImageLimits(20L << 20, 40_000_000);

    /** 16 MB of bytes are 22 million base64 characters: over Jackson's default string cap of 20 million. */
    @Test
    void aPhotoNearTheDocumentedSizeLimitIsReadNotRefusedAsInvalidJson() {
        byte[] photo = new byte[16_000_000];
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(png, 0, photo, 0, png.length);
        String body = "{\"image\": \"" + Base64.getEncoder().encodeToString(photo) + "\", \"model_size\": \"tiny\"}";
        ColorizeRequest request = ColorizeRequest.parse(body.getBytes(StandardCharsets.US_ASCII), LIMITS,
                List.of("large", "tiny"));
        assertThat(request.imageBytes()).hasSize(photo.length);
        assertThat(request.model()).isEqualTo("tiny");
    }

    @Test
    void deeplyNestedJsonIsRefusedAsInvalidJson() {
        String body = "{\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
        assertThatThrownBy(() -> ColorizeRequest.parse(body.getBytes(StandardCharsets.US_ASCII), LIMITS, List.of("large")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON));
    }

    @Test
    void anythingAfterTheJsonValueIsRefused() {
        for (String body : List.of("{\"image\": \"aGVsbG8=\"} xyz", "{\"image\": \"aGVsbG8=\"}{\"image\": \"aGk=\"}")) {
            assertThatThrownBy(() -> ColorizeRequest.parse(body.getBytes(StandardCharsets.US_ASCII), LIMITS, List.of("large")))
                    .as(body).isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON));
        }
    }

    /** Read as doubles these round to 2, 1.2 or 0 and passed the two-decimals rule. */
    @Test
    void aStrengthWithMoreThanTwoDecimalsIsRefusedHoweverItRounds() {
        for (String strength : List.of("1.999999999999999999999", "1.1999999999999999999999", "1e-400", "0.001")) {
            String body = "{\"image\": \"aGVsbG8=\", \"saturation\": " + strength + "}";
            assertThatThrownBy(() -> ColorizeRequest.parse(body.getBytes(StandardCharsets.US_ASCII), LIMITS, List.of("large")))
                    .as(strength).isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SATURATION));
        }
        for (String same : List.of("1.20", "12e-1", "1.2")) {
            String body = "{\"image\": \"aGVsbG8=\", \"saturation\": " + same + "}";
            assertThat(ColorizeRequest.parse(body.getBytes(StandardCharsets.US_ASCII), LIMITS, List.of("large"))
                    .saturationPercent()).as(same).isEqualTo(120);
        }
    }
}
