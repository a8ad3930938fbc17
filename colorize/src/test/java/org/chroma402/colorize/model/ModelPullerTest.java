package org.chroma402.colorize.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.chroma402.colorize.checkpoint.CheckpointLimits;
import org.chroma402.colorize.testing.HubMirror;
import org.chroma402.colorize.testing.TestCheckpoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls of official checkpoints from a loopback server shaped like Hugging Face: redirects, ranges, breaks, digests. */
class ModelPullerTest {
    @TempDir
    Path dir;
    private HubMirror mirror;
    private Path checkpoint;

    @BeforeEach
    void start() throws Exception {
        checkpoint = TestCheckpoints.get(TestCheckpoints.TINY);
        mirror = HubMirror.start().put("piddnad/DDColor-models", "ddcolor_paper_tiny.pth", checkpoint);
    }

    @AfterEach
    void stop() {
        mirror.close();
    }

    private ModelPuller puller(ModelCatalog catalog) {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        return new ModelPuller(catalog, new ModelDownloader(client, Duration.ofSeconds(60), new ModelFileCheck()),
                new CheckpointInstaller(CheckpointLimits.DEFAULT, new ModelFileCheck()));
    }

    /** The built-in tiny model, from the mirror, with the test checkpoint's digest pinned. */
    private ModelSpec tiny() throws Exception {
        return ModelCatalog.defaults(mirror.uri()).get("tiny").withSha256(ModelDownloader.sha256(checkpoint));
    }

    private ModelCatalog catalog(ModelSpec spec) {
        return new ModelCatalog(dir, Map.of(spec.name(), spec));
    }

    @Test
    void pullsThroughTheRedirectConvertsAndCleansUp() throws Exception {
        ModelSpec spec = tiny();
        ModelCatalog catalog = catalog(spec);
        ModelPuller.Pulled pulled = puller(catalog).pull(spec, (phase, done, total) -> { });
        assertThat(pulled.model()).isEqualTo(dir.resolve("tiny/model.onnx")).isEqualTo(catalog.resolve("tiny"));
        assertThat(ModelFileCheck.inspect(pulled.model()).dynamicSize()).isTrue();
        assertThat(mirror.requests()).extracting(HubMirror.Request::path)
                .containsExactly("/piddnad/DDColor-models/resolve/main/ddcolor_paper_tiny.pth", "/cdn/piddnad/DDColor-models/ddcolor_paper_tiny.pth");
        assertThat(files(dir.resolve(ModelPuller.DOWNLOADS))).as("the checkpoint is deleted once converted").isEmpty();
        assertThat(Files.readString(dir.resolve("tiny/model.json"))).contains(pulled.sha256(), "ddcolor_paper_tiny.pth");
    }

    @Test
    void anInterruptedPullResumesWhereItStopped() throws Exception {
        ModelSpec spec = tiny();
        ModelPuller puller = puller(catalog(spec));
        mirror.breakNextTransferAfter(50_000_000);
        assertThatThrownBy(() -> puller.pull(spec, (phase, done, total) -> { })).isInstanceOf(ModelDownloadException.class)
                .hasMessageContaining("broke off after").hasMessageContaining("run the pull again to resume");
        assertThat(dir.resolve("tiny")).doesNotExist();
        long kept = Files.size(dir.resolve(ModelPuller.DOWNLOADS).resolve(spec.downloadName() + ".part"));
        assertThat(kept).isPositive();

        ModelPuller.Pulled pulled = puller.pull(spec, (phase, done, total) -> { });
        assertThat(pulled.resumed()).isTrue();
        assertThat(mirror.requests().get(mirror.requests().size() - 1).range()).isEqualTo("bytes=" + kept + "-");
        assertThat(dir.resolve("tiny/model.onnx")).exists();
    }

    @Test
    void aWrongDigestIsRefusedAndNothingIsInstalled() throws Exception {
        ModelSpec spec = tiny().withSha256("0".repeat(64));
        assertThatThrownBy(() -> puller(catalog(spec)).pull(spec, (phase, done, total) -> { }))
                .hasMessageContaining("but " + "0".repeat(64) + " was expected; the file was deleted");
        assertThat(files(dir)).containsExactly(ModelPuller.DOWNLOADS);
        assertThat(files(dir.resolve(ModelPuller.DOWNLOADS))).isEmpty();
    }

    @Test
    void aCheckpointOfTheWrongNetworkIsRefusedBeforeConversion() throws Exception {
        ModelSpec spec = tiny().withArchitecture(DdcolorArchitecture.LARGE);
        assertThatThrownBy(() -> puller(catalog(spec)).pull(spec, (phase, done, total) -> { }))
                .hasMessageContaining("is not a usable tiny checkpoint").hasMessageContaining("(it is DDColor-T");
        assertThat(dir.resolve("tiny")).doesNotExist();
    }

    @Test
    void offlineErrorsNameTheHostAndWhatToDoInstead() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ModelSpec spec = tiny().withUrl(URI.create("http://127.0.0.1:" + closedPort + "/piddnad/DDColor-models/resolve/main/x.pth"));
        assertThatThrownBy(() -> puller(catalog(spec)).pull(spec, (phase, done, total) -> { }))
                .hasMessageContaining("cannot download tiny from http://127.0.0.1:" + closedPort)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + closedPort)
                .hasMessageContaining("'chroma402 models import tiny FILE'")
                .hasMessageContaining("models.tiny.url (or models.hub-url)");
        ModelSpec missing = tiny().withUrl(URI.create(mirror.uri() + "/piddnad/nothing/resolve/main/x.pth"));
        assertThatThrownBy(() -> puller(catalog(missing)).pull(missing, (phase, done, total) -> { }))
                .hasMessageContaining("HTTP 404 (no such file there)");
    }

    @Test
    void importsALocalCheckpoint() throws Exception {
        ModelSpec spec = ModelCatalog.defaults().get("tiny");
        ModelPuller.Pulled pulled = puller(catalog(spec)).importFile(spec, checkpoint, (phase, done, total) -> { });
        assertThat(pulled.model()).isEqualTo(dir.resolve("tiny/model.onnx"));
        assertThat(Files.readString(dir.resolve("tiny/model.json"))).contains(checkpoint.toAbsolutePath().toString());
        assertThat(mirror.requests()).isEmpty();
    }

    private static java.util.List<String> files(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return java.util.List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
