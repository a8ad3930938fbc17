package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented upload limit (20 MiB encoded) can be reached over HTTP, not only in principle. */
class LargeUploadsTest {
    @TempDir
    Path dir;

    /**
     * A noise BMP of about 16.5 MB (uncompressed, so quick to make): its base64 (22 million
     * characters) was over Jackson's default string cap of 20 million.
     */
    private static byte[] largeBmp() throws Exception {
        BufferedImage image = new BufferedImage(2400, 2300, BufferedImage.TYPE_3BYTE_BGR);
        new Random(15).nextBytes(((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "bmp", out);
        return out.toByteArray();
    }

    @Test
    void aSixteenMegabytePhotoGetsAnInvoiceNotInvalidJson() throws Exception {
        byte[] photo = largeBmp();
        assertThat(photo.length).isGreaterThan(15_000_000).isLessThan(20 << 20);
        try (TestServer server = new TestServer(dir)) {
            HttpResponse<byte[]> answer = new ApiClient(server.base).post("/api/l402/colorize-image",
                    ApiClient.body(photo, "tiny"));
            assertThat(answer.statusCode()).as(new String(answer.body())).isEqualTo(402);
        }
    }
}
