package org.chroma402.app.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A paid photo that is too large for the server's heap (within every upload limit) ends its job
 * with a typed failure instead of leaving it running forever, and after {@code MAX_ATTEMPTS} runs
 * it is given up for good: no client waits for minutes, no restart resumes it into the same crash.
 * The server runs as its own JVM with a small heap, as a container with little memory runs it.
 */
class OutOfMemoryEndsThePaidJobIT {
    @TempDir
    Path dir;

    /** A noisy 12-megapixel grey JPEG: a few MB encoded, far more than a 200 MB heap can colorize. */
    private static byte[] largePhoto() throws IOException {
        BufferedImage image = new BufferedImage(4000, 3000, BufferedImage.TYPE_BYTE_GRAY);
        Random random = new Random(7);
        byte[] row = new byte[4000];
        for (int y = 0; y < 3000; y++) {
            for (int x = 0; x < row.length; x++) {
                row[x] = (byte) ((x / 16 + y / 16 + random.nextInt(24)) & 0xff);
            }
            image.getRaster().setDataElements(0, y, 4000, 1, row);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    @Test
    void aPaidPhotoThatExhaustsTheHeapFailsTypedAndIsGivenUpAfterItsAttempts() throws Exception {
        int port = LoopbackPorts.free();
        Path config = ShippedJar.serveConfig(dir, port, "");
        URI base = URI.create("http://127.0.0.1:" + port);
        String body = ApiClient.body(largePhoto(), "tiny");
        try (JarProcess server = ShippedJar.start(dir, Map.of(), List.of("-Xmx200m"), "serve", "-c", config.toString())) {
            ShippedJar.awaitReady(server, base, Duration.ofSeconds(90));
            ApiClient api = new ApiClient(base);
            HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", body);
            assertThat(challenge.statusCode()).as(new String(challenge.body(), StandardCharsets.UTF_8)).isEqualTo(402);
            L402Challenge l402 = ApiClient.challenge(challenge);
            String credential = "L402 " + l402.macaroonBase64() + ":" + api.devPay(l402.invoice());

            // ApiClient times out after 60 s: a job left running forever fails here.
            for (int attempt = 1; attempt <= 3; attempt++) {
                HttpResponse<byte[]> failed = api.post("/api/l402/colorize-image", body, "Authorization", credential);
                assertThat(failed.statusCode()).as(server.describe()).isEqualTo(500);
                assertThat(failed.headers().firstValue("X-Error-Code"))
                        .hasValue(attempt < 3 ? "colorization_failed" : "colorization_abandoned");
                assertThat(new String(failed.body(), StandardCharsets.UTF_8)).contains("memory");
            }
            HttpResponse<byte[]> givenUp = api.post("/api/l402/colorize-image", body, "Authorization", credential);
            assertThat(givenUp.headers().firstValue("X-Error-Code")).hasValue("colorization_abandoned");
            assertThat(api.get("/readyz").statusCode()).isEqualTo(200);
            server.signal("TERM");
            server.awaitExit(Duration.ofSeconds(40));

            // The next start resumes nothing: the job was ended, not left running.
            try (JarProcess again = ShippedJar.start(dir, Map.of(), List.of("-Xmx200m"), "serve", "-c", config.toString())) {
                ShippedJar.awaitReady(again, base, Duration.ofSeconds(90));
                assertThat(again.stderr()).doesNotContain("resuming");
                again.signal("TERM");
                again.awaitExit(Duration.ofSeconds(40));
            }
        }
    }
}
