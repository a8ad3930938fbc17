package org.chroma402.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.S3ProxyServer;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose results and inputs live in an S3 bucket (S3Proxy on loopback): the paid flow, the
 * redirect delivery, and an outage of the store: no invoice while it is down, /readyz says so, and
 * a paid request is served once it is back.
 */
class S3ResultsTest {
    private static final String PHOTO = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "tiny");

    @TempDir
    static Path s3dir;
    @TempDir
    Path dir;
    private static S3ProxyServer s3;
    private static int buckets;
    private final List<S3BlobStore> opened = new ArrayList<>();

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start(s3dir);
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @AfterEach
    void close() {
        opened.forEach(S3BlobStore::close);
    }

    private TestServer server(ServerConfig.ResultPolicy.Delivery delivery) throws IOException {
        String bucket = "results-" + (++buckets);
        S3BlobStore maker = new S3BlobStore(s3.settings(bucket, ""), Duration.ofSeconds(5), Clock.systemUTC());
        opened.add(maker);
        maker.createBucketIfMissing();
        return new TestServer(dir.resolve("server"), TestServer.Options.defaults().withStores(kind -> {
            S3BlobStore store = new S3BlobStore(s3.settings(bucket, "chroma402/" + kind + "/"), Duration.ofSeconds(3),
                    Clock.systemUTC());
            opened.add(store);
            return store;
        }, delivery));
    }

    private Path object(String kind, String name) {
        try (var files = Files.walk(s3dir.resolve("blobs"))) {
            return files.filter(p -> p.toString().endsWith(kind + "/" + name)).findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void resultsLiveInTheBucketAndAreServedFromIt() throws Exception {
        try (TestServer server = server(ServerConfig.ResultPolicy.Delivery.PROXY)) {
            ApiClient api = new ApiClient(server.base);
            String credential = api.buy(PHOTO);
            JsonNode result = ApiClient.json(api.post("/api/l402/colorize-image", PHOTO, "Authorization", credential));
            String url = result.get("image_url").asText();
            String name = url.substring(url.lastIndexOf('/') + 1);
            assertThat(object("results", name)).as("the result is an object in the bucket").isNotNull();
            assertThat(Files.list(dir.resolve("server")).map(p -> p.getFileName().toString()).toList())
                    .doesNotContain("results");
            HttpResponse<byte[]> image = api.get(url);
            assertThat(image.statusCode()).isEqualTo(200);
            assertThat(image.body()).isEqualTo(Files.readAllBytes(object("results", name)));
            assertThat(ApiClient.json(api.get("/readyz")).get("storage").asText()).isEqualTo("ok");

            // The sweep deletes expired results from the bucket as it does from a disk.
            server.clock.advance(Duration.ofHours(25));
            server.server.sweepNow();
            assertThat(object("results", name)).as("swept from the bucket").isNull();
            assertThat(api.get(url).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void redirectDeliveryHandsOutAPresignedUrlThatEndsWithTheResult() throws Exception {
        try (TestServer server = server(ServerConfig.ResultPolicy.Delivery.REDIRECT)) {
            ApiClient api = new ApiClient(server.base);
            String credential = api.buy(PHOTO);
            JsonNode result = ApiClient.json(api.post("/api/l402/colorize-image", PHOTO, "Authorization", credential));
            HttpClient noFollow = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<byte[]> redirect = noFollow.send(HttpRequest.newBuilder(URI.create(result.get("image_url").asText()))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(redirect.statusCode()).isEqualTo(302);
            String location = redirect.headers().firstValue("Location").orElseThrow();
            assertThat(location).startsWith(s3.endpoint().toString()).contains("X-Amz-Signature=");
            long seconds = Long.parseLong(location.replaceAll(".*X-Amz-Expires=(\\d+).*", "$1"));
            assertThat(seconds).as("no longer than the result lives").isLessThanOrEqualTo(Duration.ofHours(24).toSeconds());
            HttpResponse<byte[]> image = noFollow.send(HttpRequest.newBuilder(URI.create(location)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(image.statusCode()).isEqualTo(200);
            assertThat(image.body()).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            // Unknown names are 404 as before, not a signed URL for nothing.
            assertThat(noFollow.send(HttpRequest.newBuilder(server.uri("/results/" + "A".repeat(43) + ".png")).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void whileTheStoreIsDownNoInvoiceIsMadeAndAPaidRequestWaitsForIt() throws Exception {
        try (TestServer server = server(ServerConfig.ResultPolicy.Delivery.PROXY)) {
            ApiClient api = new ApiClient(server.base);
            String credential = api.buy(PHOTO);
            long invoicesBefore = server.invoiceCount();
            s3.stopProcess();
            try {
                Thread.sleep(2100); // past the health cache
                HttpResponse<byte[]> unpaid = api.post("/api/l402/colorize-image",
                        ApiClient.body(TestResources.bytes("fixtures/inputs/keller.png"), "tiny"));
                assertThat(unpaid.statusCode()).isEqualTo(503);
                assertThat(unpaid.headers().firstValue("X-Error-Code")).hasValue("storage_unavailable");
                assertThat(unpaid.headers().firstValue("Retry-After")).isPresent();
                assertThat(server.invoiceCount()).as("no invoice while results cannot be stored").isEqualTo(invoicesBefore);
                HttpResponse<byte[]> ready = api.get("/readyz");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ApiClient.json(ready).get("storage").asText()).isEqualTo("unavailable");
                assertThat(new String(ready.body())).doesNotContain("127.0.0.1");
                HttpResponse<byte[]> paid = api.post("/api/l402/colorize-image", PHOTO, "Authorization", credential);
                assertThat(paid.statusCode()).as("paid: not a 402, but come back").isEqualTo(503);
                assertThat(paid.headers().firstValue("X-Error-Code")).hasValue("storage_unavailable");
                assertThat(ApiClient.json(paid).get("suggestion").asText()).contains("same credential");
            } finally {
                s3.startProcess();
            }
            Thread.sleep(2100);
            HttpResponse<byte[]> retried = api.post("/api/l402/colorize-image", PHOTO, "Authorization", credential);
            assertThat(retried.statusCode()).as(new String(retried.body())).isEqualTo(200);
            assertThat(ApiClient.json(api.get("/readyz")).get("storage").asText()).isEqualTo("ok");
        }
    }
}
