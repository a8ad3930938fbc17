package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.gate.RequestBinding;
import org.chroma402.server.persistence.JdbcJobStore;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The optional {@code saturation} (colour strength 0–2, two decimals at most): checked before any
 * invoice, bound into the token like {@code input_size} (1 and absent are one purchase, today's),
 * kept with the paid job and rendered by it.
 */
class SaturationRequestTest {
    private static final byte[] PHOTO = TestResources.bytes("fixtures/inputs/keller.png");

    @TempDir
    Path dir;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void absentAndOneGiveTodaysDigestAndOthersTheirOwn() {
        String today = RequestBinding.digest("tiny", PHOTO);
        for (String one : new String[] {null, "null", "1", "1.0", "1.00", "1e0"}) {
            assertThat(parse(one).digest()).as("saturation %s", one).isEqualTo(today);
            assertThat(parse(one).saturationPercent()).isNull();
        }
        assertThat(parse("1.2").digest()).isEqualTo(parse("1.20").digest()).isNotEqualTo(today)
                .isNotEqualTo(parse("1.3").digest()).isNotEqualTo(parse("0.12").digest());
        assertThat(parse("1.2").saturationPercent()).isEqualTo(120);
        assertThat(parse("0").saturationPercent()).isZero();
        assertThat(parse("2").saturationPercent()).isEqualTo(200);
        assertThat(parse("0.05").saturationPercent()).isEqualTo(5);
        assertThat(parse("-0").saturationPercent()).as("-0 is 0").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0.01", "2.01", "3", "1.234", "0.001", "\"1.2\"", "\"NaN\"", "true", "[1]", "{}", "1e400", "-1e-9"})
    void badStrengthsAreRefusedBeforeAnyInvoice(String value) {
        server = new TestServer(dir);
        ApiClient api = new ApiClient(server.base);
        HttpResponse<byte[]> refused = api.post("/api/l402/colorize-image", body(value));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(refused).path("error_code").asText()).isEqualTo("invalid_saturation");
        assertThat(refused.headers().firstValue("X-Error-Code")).hasValue("invalid_saturation");
        assertThat(server.invoiceCount()).isZero();
    }

    @Test
    void aTokenFor1point2DoesNotBuy1point3AndTheJobRendersItsStrength() throws Exception {
        server = new TestServer(dir);
        ApiClient api = new ApiClient(server.base);
        String credential = api.buy(body("1.2"));
        for (String other : new String[] {body("1.3"), body(null), body("1")}) {
            HttpResponse<byte[]> refused = api.post("/api/l402/colorize-image", other, "Authorization", credential);
            assertThat(refused.statusCode()).as("a token for 1.2 does not buy %s", other.length()).isEqualTo(402);
            assertThat(ApiClient.json(refused).path("error_code").asText()).isEqualTo("other_request");
        }
        HttpResponse<byte[]> done = api.post("/api/l402/colorize-image", body("1.20"), "Authorization", credential);
        assertThat(done.statusCode()).isEqualTo(200);
        var job = new JdbcJobStore(server.database).findById(ApiClient.json(done).path("job_id").asText()).orElseThrow();
        assertThat(job.saturationPercent()).isEqualTo(120);
    }

    @Test
    void aTokenBoughtWithoutSaturationBuysStrengthOneAndStrengthZeroIsGrey() throws Exception {
        server = new TestServer(dir);
        ApiClient api = new ApiClient(server.base);
        String plain = api.buy(body(null));
        HttpResponse<byte[]> same = api.post("/api/l402/colorize-image", body("1.0"), "Authorization", plain);
        assertThat(same.statusCode()).as("saturation 1 is the purchase without it").isEqualTo(200);
        var job = new JdbcJobStore(server.database).findById(ApiClient.json(same).path("job_id").asText()).orElseThrow();
        assertThat(job.saturationPercent()).isNull();

        String grey = api.buy(body("0"));
        HttpResponse<byte[]> image = api.post("/api/l402/colorize-image", body("0"), "Authorization", grey, "Accept", "image/png");
        assertThat(image.statusCode()).isEqualTo(200);
        RgbImage out = new ImageDecoder(ImageLimits.DEFAULTS).decode(image.body());
        byte[] rgb = out.rgb();
        for (int p = 0; p < out.pixels(); p++) {
            assertThat(rgb[3 * p + 1]).isEqualTo(rgb[3 * p]);
            assertThat(rgb[3 * p + 2]).isEqualTo(rgb[3 * p]);
        }
    }

    private static ColorizeRequest parse(String saturation) {
        return ColorizeRequest.parse(body(saturation).getBytes(), ImageLimits.DEFAULTS, List.of("large", "tiny"));
    }

    /** A tiny-model request with {@code saturation} as raw JSON, or without it when null. */
    private static String body(String saturation) {
        // Written by hand: the value goes out as the client spelt it (1.20, 1e400), not as Jackson would.
        return "{\"image\": \"" + Base64.getEncoder().encodeToString(PHOTO) + "\", \"model_size\": \"tiny\""
                + (saturation == null ? "" : ", \"saturation\": " + saturation) + "}";
    }
}
