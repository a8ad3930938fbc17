package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.chroma402.colorize.image.RgbImage;
import org.junit.jupiter.api.Test;

/** The kept decodes stay within their byte budget, oldest out first, and each is taken once. */
class DecodedPhotosTest {
    private static RgbImage image(int pixels) {
        return new RgbImage(pixels, 1, new byte[3 * pixels], null);
    }

    @Test
    void staysWithinItsBudgetAndGivesEachPhotoOnce() {
        DecodedPhotos photos = new DecodedPhotos(3 * 250);
        photos.put("a", image(100));
        photos.put("b", image(100));
        photos.put("c", image(100));
        assertThat(photos.sizeBytes()).isEqualTo(600);
        assertThat(photos.take("a")).isEmpty();
        assertThat(photos.take("b")).isPresent();
        assertThat(photos.take("b")).isEmpty();
        photos.put("huge", image(1000));
        assertThat(photos.take("huge")).isEmpty();
        assertThat(photos.sizeBytes()).isEqualTo(300);
        assertThat(new DecodedPhotos(0).take("c")).isEmpty();
    }
}
