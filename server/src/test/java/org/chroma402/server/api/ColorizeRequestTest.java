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
}
