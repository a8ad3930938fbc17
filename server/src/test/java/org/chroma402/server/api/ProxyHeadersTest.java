package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind a trusted proxy, {@code X-Forwarded-*} are partly the client's words: the address is
 * taken from the right (what the proxy appended), and host and scheme only when well-formed and
 * allowed, since they end up in URLs a browser follows.
 */
class ProxyHeadersTest {
    private static final String BODY = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "large");

    @TempDir
    Path dir;

    private TestServer behindProxy(int hops, List<String> allowedHosts) {
        return new TestServer(dir, TestServer.Options.defaults().withRate(1, 2).withListening(l -> new ServerConfig.Listening(
                l.host(), l.port(), null, l.corsOrigins(), true, hops, allowedHosts)));
    }

    @Test
    void theRateLimitKeysOnTheAddressTheProxySawNotTheClientsClaims() {
        try (TestServer server = behindProxy(1, List.of())) {
            ApiClient api = new ApiClient(server.base);
            for (int i = 0; i < 2; i++) {
                assertThat(api.post("/api/l402/colorize-image", BODY, "X-Forwarded-For", "10.9.9." + i + ", 127.0.0.9")
                        .statusCode()).isEqualTo(402);
            }
            HttpResponse<byte[]> third = api.post("/api/l402/colorize-image", BODY, "X-Forwarded-For", "spoof, 127.0.0.9");
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(api.post("/api/l402/colorize-image", BODY, "X-Forwarded-For", "spoof, 127.0.0.10").statusCode())
                    .isEqualTo(402);
        }
    }

    @Test
    void withTwoProxiesTheClientIsTheSecondFromTheRight() {
        try (TestServer server = behindProxy(2, List.of())) {
            ApiClient api = new ApiClient(server.base);
            api.post("/api/l402/colorize-image", BODY, "X-Forwarded-For", "a, 127.0.0.7, 127.0.0.1");
            api.post("/api/l402/colorize-image", BODY, "X-Forwarded-For", "b, 127.0.0.7, 127.0.0.1");
            assertThat(api.post("/api/l402/colorize-image", BODY, "X-Forwarded-For", "c, 127.0.0.7, 127.0.0.1")
                    .statusCode()).isEqualTo(429);
        }
    }

    @Test
    void forwardedHostAndSchemeMustBeWellFormed() {
        try (TestServer server = behindProxy(1, List.of())) {
            ApiClient api = new ApiClient(server.base);
            assertThat(base(api, "javascript:alert(1)", "https")).isEqualTo("https://127.0.0.1:" + server.base.getPort());
            assertThat(base(api, "<script>x</script>", "http")).isEqualTo("http://127.0.0.1:" + server.base.getPort());
            assertThat(base(api, "colorize.example.com", "javascript")).isEqualTo("http://colorize.example.com");
            assertThat(base(api, "colorize.example.com", "https")).isEqualTo("https://colorize.example.com");
        }
    }

    @Test
    void onlyAllowedHostsAreUsedWhenTheOperatorListsThem() {
        try (TestServer server = behindProxy(1, List.of("good.example"))) {
            ApiClient api = new ApiClient(server.base);
            assertThat(base(api, "good.example", "https")).isEqualTo("https://good.example");
            assertThat(base(api, "evil.example", "https")).isEqualTo("https://127.0.0.1:" + server.base.getPort());
        }
    }

    /** The base URL the server hands out, read from its discovery document. */
    private static String base(ApiClient api, String host, String proto) {
        String openapi = ApiClient.json(api.get("/.well-known/l402.json", "X-Forwarded-Host", host, "X-Forwarded-Proto",
                proto)).get("openapi").asText();
        return openapi.substring(0, openapi.length() - "/api/openapi.json".length());
    }
}
