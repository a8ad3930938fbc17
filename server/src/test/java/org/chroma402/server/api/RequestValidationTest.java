package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad input gets a clear JSON error and no invoice is ever created for it. */
class RequestValidationTest {
    @TempDir
    static Path dir;
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        server = new TestServer(dir, TestServer.Options.defaults().withLimits(new ImageLimits(200_000, 1_000_000)));
        api = new ApiClient(server.base);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Stream<Arguments> badRequests() {
        byte[] photo = TestResources.bytes("fixtures/inputs/buffalo.png");
        return Stream.of(
                Arguments.of("not JSON", "{image: nope", 400, "invalid_json"),
                Arguments.of("a JSON array", "[1,2]", 400, "invalid_json"),
                Arguments.of("no image", "{\"model_size\": \"large\"}", 400, "missing_image"),
                Arguments.of("an empty image", "{\"image\": \"\"}", 400, "missing_image"),
                Arguments.of("an image that is a number", "{\"image\": 42}", 400, "invalid_base64"),
                Arguments.of("bad base64", "{\"image\": \"iVBOR$$$\"}", 400, "invalid_base64"),
                Arguments.of("text, not an image", "{\"image\": \"" + b64("hello world".getBytes()) + "\"}", 400, "invalid_image"),
                Arguments.of("a truncated PNG", "{\"image\": \"" + b64(TestResources.bytes("hostile/truncated.png")) + "\"}", 400, "invalid_image"),
                Arguments.of("an SVG", "{\"image\": \"" + b64(TestResources.bytes("hostile/drawing.svg")) + "\"}", 400, "unsupported_format"),
                Arguments.of("an unknown model_size", "{\"image\": \"" + b64(photo) + "\", \"model_size\": \"huge\"}", 400, "unknown_model_size"),
                Arguments.of("a model_size that is not a string", "{\"image\": \"" + b64(photo) + "\", \"model_size\": 5}", 400, "unknown_model_size"),
                Arguments.of("a decompression bomb", "{\"image\": \"" + b64(TestResources.bytes("hostile/bomb-400mp.png")) + "\"}", 413, "image_too_large"),
                Arguments.of("too many bytes", "{\"image\": \"" + b64(new byte[300_000]) + "\"}", 413, "image_too_large"));
    }

    @ParameterizedTest(name = "{0} -> {2} {3}")
    @MethodSource("badRequests")
    void badInputGetsAClearErrorAndNoInvoice(String name, String body, int status, String code) throws Exception {
        long invoicesBefore = server.invoiceCount();
        HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", body);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("X-Error-Code")).hasValue(code);
        assertThat(response.headers().allValues("WWW-Authenticate")).isEmpty();
        var json = ApiClient.json(response);
        assertThat(json.get("error_code").asText()).isEqualTo(code);
        assertThat(json.get("error").asText()).isNotBlank();
        assertThat(json.get("suggestion").asText()).isNotBlank();
        assertThat(server.invoiceCount()).isEqualTo(invoicesBefore);
    }

    @Test
    void aBodyOverTheRequestLimitIs413() {
        String huge = "{\"image\": \"" + "A".repeat((int) server.config.limits().maxRequestBytes() + 10) + "\"}";
        HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", huge);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("X-Error-Code")).hasValue("image_too_large");
    }

    @Test
    void unknownPathsAndMethodsAreJsonErrors() {
        HttpResponse<byte[]> response = api.get("/api/l402/nothing-here");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(ApiClient.json(response).get("error_code").asText()).isEqualTo("not_found");
    }

}
