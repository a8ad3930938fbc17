package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Accept: image/jpeg} on a paid result whose PNG is larger than the upload limit. */
class JpegRenderingTest {
    @TempDir
    Path dir;

    @Test
    void aResultLargerThanTheUploadLimitStillRendersAsJpeg() throws Exception {
        BufferedImage photo = new BufferedImage(640, 480, BufferedImage.TYPE_BYTE_GRAY);
        Random random = new Random(3);
        for (int y = 0; y < photo.getHeight(); y++) {
            for (int x = 0; x < photo.getWidth(); x++) {
                photo.getRaster().setSample(x, y, 0, (x + y) / 5 + random.nextInt(40));
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(photo, "jpeg", jpeg);
        ImageLimits limits = new ImageLimits(200_000, 1_000_000);
        assertThat((long) jpeg.size()).isLessThan(limits.maxEncodedBytes());
        try (TestServer server = new TestServer(dir, TestServer.Options.defaults().withLimits(limits))) {
            ApiClient api = new ApiClient(server.base);
            String body = ApiClient.body(jpeg.toByteArray(), "tiny");
            String credential = api.buy(body);
            HttpResponse<byte[]> png = api.post("/api/l402/colorize-image", body, "Authorization", credential,
                    "Accept", "image/png");
            assertThat((long) png.body().length).as("the result PNG is over the upload limit").isGreaterThan(limits.maxEncodedBytes());
            HttpResponse<byte[]> rendered = api.post("/api/l402/colorize-image", body, "Authorization", credential,
                    "Accept", "image/jpeg");
            assertThat(rendered.statusCode()).as(new String(rendered.body())).isEqualTo(200);
            BufferedImage read = ImageIO.read(new ByteArrayInputStream(rendered.body()));
            assertThat(read.getWidth()).isEqualTo(640);
        }
    }
}
