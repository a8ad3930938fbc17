package org.chroma402.colorize.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download code against a loopback HTTP server serving the generated test model. */
class ModelDownloaderTest {
    private static final byte[] MODEL = TestResources.bytes("models/tiny-test.onnx");
    private static final byte[] NOT_A_MODEL = TestResources.bytes("models/not-ddcolor.onnx");

    @TempDir
    Path dir;
    private HttpServer server;
    private final AtomicBoolean honourRanges = new AtomicBoolean(true);
    private final AtomicReference<String> lastRange = new AtomicReference<>();
    private final ModelDownloader downloader = new ModelDownloader(HttpClient.newHttpClient(), Duration.ofSeconds(10),
            new ModelFileCheck());

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/model.onnx", exchange -> serve(exchange, MODEL));
        server.createContext("/not-a-model.onnx", exchange -> serve(exchange, NOT_A_MODEL));
        server.createContext("/missing.onnx", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange, byte[] body) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        lastRange.set(range);
        int from = 0;
        if (range != null && honourRanges.get()) {
            from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
            if (from >= body.length) {
                exchange.sendResponseHeaders(416, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            exchange.sendResponseHeaders(206, body.length - from);
        } else {
            exchange.sendResponseHeaders(200, body.length);
        }
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body, from, body.length - from);
        }
    }

    private ModelSpec spec(String path, String sha256) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        return new ModelSpec("tiny", "ddcolor_tiny.onnx", url, sha256, "test");
    }

    @Test
    void downloadsChecksAndInstallsAtomically() throws Exception {
        String digest = ModelDownloader.sha256(TestResources.tinyModel());
        List<long[]> progress = new ArrayList<>();
        ModelDownloader.Installed installed = downloader.download(spec("/model.onnx", digest), dir,
                (done, total) -> progress.add(new long[] {done, total}));
        assertThat(installed.file()).isEqualTo(dir.resolve("ddcolor_tiny.onnx"));
        assertThat(Files.readAllBytes(installed.file())).isEqualTo(MODEL);
        assertThat(installed.sha256()).isEqualTo(digest);
        assertThat(installed.resumed()).isFalse();
        assertThat(progress.get(progress.size() - 1)).containsExactly(MODEL.length, MODEL.length);
        assertThat(dir.resolve("ddcolor_tiny.onnx.part")).doesNotExist();
    }

    @Test
    void resumesAnInterruptedDownload() throws Exception {
        Files.write(dir.resolve("ddcolor_tiny.onnx.part"), java.util.Arrays.copyOf(MODEL, 700));
        ModelDownloader.Installed installed = downloader.download(spec("/model.onnx", null), dir, (d, t) -> { });
        assertThat(lastRange.get()).isEqualTo("bytes=700-");
        assertThat(installed.resumed()).isTrue();
        assertThat(Files.readAllBytes(installed.file())).isEqualTo(MODEL);
        assertThat(installed.sha256()).isEqualTo(ModelDownloader.sha256(TestResources.tinyModel()));
    }

    @Test
    void startsOverWhenTheServerIgnoresTheRange() throws Exception {
        honourRanges.set(false);
        Files.write(dir.resolve("ddcolor_tiny.onnx.part"), new byte[] {9, 9, 9});
        ModelDownloader.Installed installed = downloader.download(spec("/model.onnx", null), dir, (d, t) -> { });
        assertThat(installed.resumed()).isFalse();
        assertThat(Files.readAllBytes(installed.file())).isEqualTo(MODEL);
    }

    @Test
    void aCompletePartFileIsVerifiedAndInstalled() throws Exception {
        Files.write(dir.resolve("ddcolor_tiny.onnx.part"), MODEL);
        ModelDownloader.Installed installed = downloader.download(spec("/model.onnx", null), dir, (d, t) -> { });
        assertThat(installed.resumed()).isTrue();
        assertThat(Files.readAllBytes(installed.file())).isEqualTo(MODEL);
    }

    @Test
    void aWrongDigestIsRefusedAndNothingIsInstalled() {
        assertThatThrownBy(() -> downloader.download(spec("/model.onnx", "00".repeat(32)), dir, (d, t) -> { }))
                .isInstanceOf(ModelDownloadException.class).hasMessageContaining("was expected");
        assertThat(dir.resolve("ddcolor_tiny.onnx")).doesNotExist();
        assertThat(dir.resolve("ddcolor_tiny.onnx.part")).doesNotExist();
    }

    @Test
    void aFileThatIsNotADdcolorModelIsRefused() {
        assertThatThrownBy(() -> downloader.download(spec("/not-a-model.onnx", null), dir, (d, t) -> { }))
                .isInstanceOf(ModelDownloadException.class).hasMessageContaining("is not a DDColor model");
        assertThat(dir.resolve("ddcolor_tiny.onnx")).doesNotExist();
    }

    @Test
    void httpErrorsAndMissingUrlsAreReported() {
        assertThatThrownBy(() -> downloader.download(spec("/missing.onnx", null), dir, (d, t) -> { }))
                .isInstanceOf(ModelDownloadException.class).hasMessageContaining("HTTP 404");
        assertThatThrownBy(() -> downloader.download(new ModelSpec("tiny", "ddcolor_tiny.onnx", null, null, ""), dir, (d, t) -> { }))
                .isInstanceOf(ModelDownloadException.class).hasMessageContaining("has no download URL");
    }

    @Test
    void theCatalogResolvesNamesAndPaths() throws Exception {
        ModelCatalog catalog = new ModelCatalog(dir, ModelCatalog.defaults());
        assertThat(catalog.resolve("large")).isEqualTo(dir.resolve("large/model.onnx"));
        // An ONNX file installed before checkpoints were supported is still used, until a checkpoint is installed.
        Files.writeString(dir.resolve("ddcolor_tiny.onnx"), "x");
        assertThat(catalog.resolve("tiny")).isEqualTo(dir.resolve("ddcolor_tiny.onnx"));
        Files.createDirectories(dir.resolve("tiny"));
        Files.writeString(dir.resolve("tiny/model.onnx"), "x");
        assertThat(catalog.resolve("tiny")).isEqualTo(dir.resolve("tiny/model.onnx"));
        assertThat(catalog.resolve("/some/where/model.onnx")).isEqualTo(Path.of("/some/where/model.onnx"));
        assertThatThrownBy(() -> catalog.resolve("medium")).hasMessageContaining("unknown model 'medium'");
        assertThat(catalog.entries()).extracting(ModelCatalog.Entry::present).containsExactly(false, true, false, false);
    }

    private URI at(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static ModelDownloader bounded(DownloadLimits limits) {
        return new ModelDownloader(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(),
                Duration.ofSeconds(10), new ModelFileCheck(), limits);
    }

    /** A mirror that never stops streaming fills no disk: the download stops past the cap and is deleted. */
    @Test
    void aDownloadPastTheSizeCapIsStoppedAndDeleted() {
        server.createContext("/endless", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 1024; i++) {
                    out.write(chunk);
                }
            } catch (IOException clientGone) {
                // the downloader hung up, as it should
            }
        });
        ModelDownloader capped = bounded(new DownloadLimits(1 << 20, Duration.ofSeconds(10), List.of()));
        Path target = dir.resolve("endless.onnx");
        assertThatThrownBy(() -> capped.fetch("x", at("/endless"), null, target, file -> { }, (d, t) -> { }))
                .isInstanceOf(ModelDownloadException.class).hasMessageContaining("went past 1048576 bytes");
        assertThat(dir.resolve("endless.onnx.part")).doesNotExist();
        // A declared length over the cap is refused before a byte is written.
        server.createContext("/declared", exchange -> {
            exchange.sendResponseHeaders(200, 2L << 20);
            exchange.close();
        });
        assertThatThrownBy(() -> capped.fetch("x", at("/declared"), null, target, file -> { }, (d, t) -> { }))
                .isInstanceOf(ModelDownloadException.class).hasMessageContaining("more than the 1048576 allowed");
    }

    /** A mirror that sends a byte and then nothing does not hang the pull past the stall timeout. */
    @Test
    void aStalledDownloadIsStoppedAndCanBeResumed() {
        server.createContext("/stall", exchange -> {
            exchange.sendResponseHeaders(200, 1000);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[10]);
            out.flush();
            try {
                Thread.sleep(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        ModelDownloader impatient = bounded(new DownloadLimits(1 << 20, Duration.ofMillis(800), List.of()));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> impatient.fetch("x", at("/stall"), null, dir.resolve("s.onnx"), file -> { }, (d, t) -> { }))
                .isInstanceOf(ModelDownloadException.class).hasMessageContaining("no data for 0 s")
                .hasMessageContaining("resume");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        assertThat(dir.resolve("s.onnx.part")).exists();
    }

    /** Redirects stay on the same server, or go to a host the operator named, over https. */
    @Test
    void redirectsToOtherServersAreRefusedUnlessNamed() throws Exception {
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().set("Location", "/model.onnx");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        int otherPort = server.getAddress().getPort() == 65535 ? 1 : server.getAddress().getPort() + 1;
        server.createContext("/elsewhere", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + otherPort + "/admin");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        ModelDownloader downloader = bounded(DownloadLimits.DEFAULT);
        ModelDownloader.Installed same = downloader.fetch("x", at("/moved"), null, dir.resolve("m.onnx"), file -> { }, (d, t) -> { });
        assertThat(Files.readAllBytes(same.file())).isEqualTo(MODEL);
        assertThatThrownBy(() -> downloader.fetch("x", at("/elsewhere"), null, dir.resolve("e.onnx"), file -> { }, (d, t) -> { }))
                .isInstanceOf(ModelDownloadException.class).hasMessageContaining("redirects to http://127.0.0.1:" + otherPort)
                .hasMessageContaining("refused");

        URI hub = URI.create("https://huggingface.co/piddnad/DDColor-models/resolve/main/x.pth");
        assertThat(DownloadLimits.DEFAULT.mayRedirect(hub, URI.create("https://cdn-lfs.huggingface.co/x"))).isTrue();
        assertThat(DownloadLimits.DEFAULT.mayRedirect(hub, URI.create("https://cas-bridge.xethub.hf.co/x"))).isTrue();
        assertThat(DownloadLimits.DEFAULT.mayRedirect(hub, URI.create("http://cdn-lfs.huggingface.co/x"))).isFalse();
        assertThat(DownloadLimits.DEFAULT.mayRedirect(hub, URI.create("https://evilhuggingface.co/x"))).isFalse();
        assertThat(DownloadLimits.DEFAULT.mayRedirect(hub, URI.create("https://127.0.0.1:8402/x"))).isFalse();
    }
}
