package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.chroma402.colorize.image.Base64Image;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageException;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random mutations of a valid request, body and headers, thrown at the running server: never a
 * 5xx, and a 402 (an invoice) only for a request whose photo really decodes. Seeded, so a failure
 * repeats.
 */
class RequestFuzzTest {
    private static final byte[] PHOTO = TestResources.bytes("fixtures/inputs/tiny.png");
    private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULTS);

    @TempDir
    static Path dir;
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        server = new TestServer(dir, TestServer.Options.defaults().withRate(1_000_000, 1_000_000));
        api = new ApiClient(server.base);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void mutatedRequestsNeverGetA5xxNorAnInvoiceForAnUndecodablePhoto() {
        String valid = ApiClient.body(PHOTO, "tiny");
        String credential = api.buy(valid);
        Random random = new Random(402);
        for (int i = 0; i < 250; i++) {
            String body = mutateBody(valid, random);
            // What an HTTP client can send at all: header values without surrounding whitespace.
            String authorization = (random.nextInt(3) == 0 ? mutate(credential, random) : credential).strip();
            if (authorization.isEmpty()) {
                authorization = "L402";
            }
            String accept = List.of("image/png", "image/jpeg", "*/*", "application/json;q=0.1, image/*", "x/y;;q=abc", "")
                    .get(random.nextInt(6));
            HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", body, "Authorization", authorization,
                    "Accept", accept.isEmpty() ? "application/json" : accept);
            String what = "mutation " + i + ": " + abbreviate(body) + " / " + abbreviate(authorization);
            assertThat(response.statusCode()).as(what).isLessThan(500);
            if (!response.headers().allValues("WWW-Authenticate").isEmpty()) {
                assertThat(decodes(body)).as(what + " got an invoice").isTrue();
            }
        }
    }

    private static boolean decodes(String body) {
        try {
            JsonNode json = ApiClient.JSON.readTree(body);
            // The server's own reading of the field (lenient about padding bits, as decoders are),
            // then a full decode: the property is about the photo, not about base64 dialects.
            DECODER.decode(Base64Image.decode(json.get("image").asText(), ImageLimits.DEFAULTS));
            return true;
        } catch (ImageException | RuntimeException | java.io.IOException e) {
            return false;
        }
    }

    private static String mutateBody(String valid, Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> mutate(valid, random);
            case 1 -> valid.substring(0, random.nextInt(valid.length()));
            case 2 -> valid.replace("\"tiny\"", List.of("\"large\"", "\"TINY\"", "1", "null", "[]", "{}", "\"\u00e9\"")
                    .get(random.nextInt(7)));
            case 3 -> {
                // Flip bytes inside the photo itself, then send it well-formed.
                byte[] photo = PHOTO.clone();
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    photo[random.nextInt(photo.length)] ^= (byte) (1 << random.nextInt(8));
                }
                yield ApiClient.body(photo, "tiny");
            }
            case 4 -> "{\"image\": " + List.of("1", "true", "[\"a\"]", "{\"a\":1}", "\"" + "A".repeat(random.nextInt(50))
                    + "\"").get(random.nextInt(5)) + "}";
            default -> new String(randomBytes(random, random.nextInt(200)), StandardCharsets.ISO_8859_1);
        };
    }

    private static String mutate(String text, Random random) {
        StringBuilder out = new StringBuilder(text);
        for (int k = 0; k < 1 + random.nextInt(5); k++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(3)) {
                case 0 -> out.setCharAt(at, (char) (32 + random.nextInt(95)));
                case 1 -> out.deleteCharAt(at);
                default -> out.insert(at, ",:=\" {}[]".charAt(random.nextInt(9)));
            }
        }
        return out.toString();
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (32 + (b[i] & 0x3f));
        }
        return b;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
