package org.chroma402.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.chroma402.server.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract against a real S3 API server on loopback (S3Proxy, signature v4), plus what only
 * an object store has: presigned URLs, a prefix shared with others, and outages.
 */
class S3BlobStoreTest extends BlobStoreContract {
    @TempDir
    static Path dir;
    private static S3ProxyServer s3;
    private static int buckets;
    private final List<S3BlobStore> opened = new ArrayList<>();
    private String bucket;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start(dir);
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(S3BlobStore::close);
    }

    @Override
    BlobStore store() throws Exception {
        if (bucket == null) {
            bucket = "chroma402-test-" + (++buckets);
        }
        S3BlobStore store = new S3BlobStore(s3.settings(bucket, "results/"), Duration.ofSeconds(10), Clock.systemUTC());
        opened.add(store);
        store.createBucketIfMissing();
        return store;
    }

    @Test
    void aPresignedUrlServesTheObjectUntilItExpires() throws Exception {
        BlobStore store = store();
        byte[] png = random(5000);
        store.put("signed.png", png);
        URI url = store.presignedGet("signed.png", Duration.ofSeconds(2)).orElseThrow();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo(png);
        URI tampered = URI.create(url.toString().replace("signed.png", "other.png"));
        assertThat(http.send(HttpRequest.newBuilder(tampered).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                .statusCode()).isEqualTo(403);
        Thread.sleep(3500);
        assertThat(http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                .statusCode()).as("expired").isEqualTo(403);
    }

    @Test
    void wrongKeysAreAnErrorNotAMissingObject() throws Exception {
        store().put("x.png", new byte[] {1});
        S3BlobStore wrong = new S3BlobStore(new S3Settings(s3.endpoint(), "us-east-1", bucket, "results/",
                S3ProxyServer.ACCESS_KEY, "not-the-secret", true), Duration.ofSeconds(5), Clock.systemUTC());
        opened.add(wrong);
        assertThatThrownBy(() -> wrong.get("x.png")).isInstanceOf(IOException.class).hasMessageContaining("403");
        assertThatThrownBy(wrong::checkHealth).isInstanceOf(IOException.class);
    }

    @Test
    void anOutageIsAnIOExceptionAndHealthRecoversAfterIt() throws Exception {
        BlobStore store = store();
        store.put("before.png", new byte[] {7});
        s3.stopProcess();
        try {
            S3BlobStore fresh = new S3BlobStore(s3.settings(bucket, "results/"), Duration.ofSeconds(2), Clock.systemUTC());
            opened.add(fresh);
            assertThatThrownBy(fresh::checkHealth).isInstanceOf(IOException.class).hasMessageContaining(bucket);
            assertThatThrownBy(() -> fresh.put("during.png", new byte[] {1})).isInstanceOf(IOException.class);
        } finally {
            s3.startProcess();
        }
        S3BlobStore after = new S3BlobStore(s3.settings(bucket, "results/"), Duration.ofSeconds(5), Clock.systemUTC());
        opened.add(after);
        after.checkHealth();
        assertThat(after.get("before.png")).hasValueSatisfying(b -> assertThat(b).containsExactly(7));
    }
}
