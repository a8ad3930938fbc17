package org.chroma402.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.chroma402.app.config.ConfigLoader;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.server.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server as {@link Assembly} wires it from settings: what the settings say must reach the parts. */
class AssemblyTest {
    private static final byte[] PHOTO = TestResources.bytes("fixtures/inputs/detroit.png");

    @TempDir
    Path dir;

    @Test
    void outputJpegQualityChangesTheJpegTheServerReturns() throws Exception {
        byte[] low = boughtJpeg("low", "0.2");
        byte[] high = boughtJpeg("high", "0.98");
        assertThat(low[0] & 0xff).isEqualTo(0xff);
        assertThat(high[0] & 0xff).isEqualTo(0xff);
        // Same pixels, same encoder: only the quality differs, and it shows in the size.
        assertThat(low.length * 2).as("low %d bytes, high %d bytes", low.length, high.length).isLessThan(high.length);
    }

    /** Buys one colorization from a server configured with this JPEG quality and redeems it as a JPEG. */
    private byte[] boughtJpeg(String name, String quality) throws Exception {
        Path model = TestResources.tinyModel();
        Map<String, String> flags = new HashMap<>();
        flags.put("data-dir", dir.resolve(name).toString());
        flags.put("server.port", "0");
        flags.put("models.dir", model.getParent().toString());
        flags.put("models.large.file", model.getFileName().toString());
        flags.put("models.tiny.file", model.getFileName().toString());
        flags.put("output.jpeg-quality", quality);
        try (Assembly.Service service = Assembly.server(ConfigLoader.load(null, Map.of(), flags))) {
            ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + service.server().start()));
            String body = ApiClient.body(PHOTO, "large");
            HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", body);
            assertThat(challenge.statusCode()).isEqualTo(402);
            L402Challenge l402 = ApiClient.challenge(challenge);
            String preimage = api.devPay(l402.invoice());
            HttpResponse<byte[]> jpeg = api.post("/api/l402/colorize-image", body,
                    "Authorization", "L402 " + l402.macaroonBase64() + ":" + preimage, "Accept", "image/jpeg");
            assertThat(jpeg.statusCode()).isEqualTo(200);
            assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            return jpeg.body();
        }
    }
}
