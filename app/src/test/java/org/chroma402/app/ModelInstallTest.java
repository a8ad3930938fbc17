package org.chroma402.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.chroma402.app.config.ConfigLoader;
import org.chroma402.colorize.model.ModelDownloader;
import org.chroma402.colorize.testing.RepositoryFiles;
import org.chroma402.colorize.testing.TestCheckpoints;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code models import} and {@code models pull} as operators run them, and a running server that
 * picks up what they install, says what is wrong with what it cannot use, and never suggests a
 * command that cannot work.
 */
class ModelInstallTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void offlinePullsNameTheHostAndWhatToDoInstead() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("c.yaml"), "models:\n  hub-url: http://127.0.0.1:" + closed + "\n");
        Run pull = run("models", "pull", "large", "-c", config.toString(), "--data-dir", dir.resolve("data").toString());
        assertThat(pull.exit()).isEqualTo(1);
        assertThat(pull.err()).contains("cannot download large from http://127.0.0.1:" + closed
                        + "/piddnad/DDColor-models/resolve/main/ddcolor_modelscope.pth")
                .contains("cannot connect to 127.0.0.1:" + closed)
                .contains("'chroma402 models import large FILE'", "models.large.url (or models.hub-url)")
                // Offline there is no other way to see it work: the seeded test checkpoint, imported.
                .contains("make_test_checkpoint.py --architecture large --seed 1 --format pth --output large-test.pth",
                        "'chroma402 models import large large-test.pth'")
                .doesNotContain("java.net.ConnectException");
    }

    @Test
    void importsAnOfficialCheckpointAndRefusesHostileOnes() throws Exception {
        Path checkpoint = TestCheckpoints.get(TestCheckpoints.TINY);
        Path config = Files.writeString(dir.resolve("c.yaml"), "models:\n  tiny:\n    sha256: " + ModelDownloader.sha256(checkpoint) + "\n");
        String data = dir.resolve("data").toString();
        Run evil = run("models", "import", "tiny", TestResources.path("checkpoints/evil-os-system.pth").toString(),
                "-c", config.toString(), "--data-dir", data);
        assertThat(evil.exit()).isEqualTo(1);
        assertThat(evil.err()).contains("posix.system", "refused without running it");
        assertThat(dir.resolve("data/models/tiny")).doesNotExist();
        Run wrong = run("models", "import", "large", checkpoint.toString(), "-c", config.toString(), "--data-dir", data);
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("(it is DDColor-T");

        Run imported = run("models", "import", "tiny", checkpoint.toString(), "-c", config.toString(), "--data-dir", data);
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("installed tiny", "sha256 " + ModelDownloader.sha256(checkpoint));
        // A seeded test checkpoint is not the authors' file, even when the operator pins its digest.
        assertThat(imported.out()).contains("note: this is not the authors' official checkpoint", "\"official\": false",
                "models.tiny.description");
        assertThat(checkpoint).as("an imported file is left as it is").exists();
        // Owner-only, as the rest of the data directory: the models folder, the model's folder and its files.
        assertThat(Files.getPosixFilePermissions(dir.resolve("data/models"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("data/models/tiny"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        for (String file : new String[] {"model.onnx", "weights.bin", "model.json"}) {
            assertThat(Files.getPosixFilePermissions(dir.resolve("data/models/tiny").resolve(file))).as(file)
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        Run list = run("models", "list", "-c", config.toString(), "--data-dir", data);
        assertThat(list.out()).containsPattern("tiny +tiny/model.onnx +\\d+\\.\\d MiB +dynamic \\(512\\) +installed \\(NOT the official checkpoint");
        assertThat(list.out()).containsPattern("large .*missing \\('models pull large' or 'models import large FILE'\\)")
                .contains("'chroma402 models import NAME FILE'", "make_test_checkpoint.py");
        Run verify = run("models", "verify", "tiny", "-c", config.toString(), "--data-dir", data);
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("tiny: ok", "(matches)");
        Run int8 = run("models", "verify", "tiny", "--precision", "int8", "--image",
                RepositoryFiles.realPhoto("keller-chaplin-1919.jpg").toString(), "-c", config.toString(), "--data-dir", data);
        assertThat(int8.exit()).as(int8.err()).isZero();
        assertThat(int8.out()).containsPattern("tiny: int8 colour difference from fp32: CIEDE2000 mean 0\\.\\d+, p95 \\d\\.\\d+");
        assertThat(dir.resolve("data/models/tiny/model.int8.onnx")).exists();
    }

    @Test
    void aRunningServerSellsAModelImportedWhileItRunsAndExplainsOnesItCannotUse() throws Exception {
        Path checkpoint = TestCheckpoints.get(TestCheckpoints.TINY);
        String data = dir.resolve("data").toString();
        Map<String, String> flags = new HashMap<>();
        flags.put("data-dir", data);
        flags.put("server.port", "0");
        flags.put("models.auto-pull", "false");
        flags.put("models.input-size", "256");
        try (Assembly.Service service = Assembly.server(ConfigLoader.load(null, Map.of(), flags))) {
            ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + service.start()));
            assertThat(model(api, "tiny").path("unavailable_reason").asText()).isEqualTo("not installed on this server yet");
            assertThat(models(api).toString()).doesNotContain("artistic");

            Run imported = run("models", "import", "tiny", checkpoint.toString(), "--data-dir", data);
            assertThat(imported.exit()).as(imported.err()).isZero();
            await(api, "tiny", m -> m.path("available").asBoolean());
            // Not the pinned official checkpoint: not sold under the official model's words.
            assertThat(model(api, "tiny").path("official").isBoolean()).isTrue();
            assertThat(model(api, "tiny").path("official").asBoolean()).isFalse();
            assertThat(model(api, "tiny").path("description").asText())
                    .startsWith("DDColor-T with weights that are not the authors' official checkpoint").doesNotContain("faster");
            byte[] photo = Files.readAllBytes(RepositoryFiles.realPhoto("keller-chaplin-1919.jpg"));
            assertThat(api.post("/api/l402/colorize-image", ApiClient.body(photo, "tiny")).statusCode()).isEqualTo(402);

            // An extra model appears in the list once installed, priced like large.
            Run artistic = run("models", "import", "artistic", checkpoint.toString(), "--data-dir", data);
            assertThat(artistic.exit()).isEqualTo(1);
            assertThat(artistic.err()).contains("(it is DDColor-T");
        }

        // Damage the install: the next server says the files cannot be used instead of "not installed".
        try (RandomAccessFile weights = new RandomAccessFile(dir.resolve("data/models/tiny/weights.bin").toFile(), "rw")) {
            weights.setLength(weights.length() / 2);
        }
        flags.put("models.tiny.description", "DDColor-T, our own fine-tune");
        try (Assembly.Service service = Assembly.server(ConfigLoader.load(null, Map.of(), flags))) {
            ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + service.start()));
            assertThat(model(api, "tiny").path("unavailable_reason").asText())
                    .isEqualTo("installed, but its files cannot be used (the operator's log says why)");
            assertThat(model(api, "tiny").path("description").asText()).isEqualTo("DDColor-T, our own fine-tune");
            JsonNode error = JSON.readTree(api.post("/api/l402/colorize-image", ApiClient.body(
                    Files.readAllBytes(RepositoryFiles.realPhoto("keller-chaplin-1919.jpg")), "tiny")).body());
            assertThat(error.path("error_code").asText()).isEqualTo("model_unavailable");
            assertThat(error.toString()).contains("files cannot be used");
        }
    }

    private static JsonNode models(ApiClient api) throws Exception {
        return JSON.readTree(api.get("/api/l402/models").body()).path("models");
    }

    private static JsonNode model(ApiClient api, String name) throws Exception {
        for (JsonNode m : models(api)) {
            if (m.path("model_size").asText().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no model " + name + " in " + models(api));
    }

    private static void await(ApiClient api, String name, Predicate<JsonNode> condition) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.test(model(api, name))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(name + " did not change in time: " + model(api, name));
            }
            Thread.sleep(200);
        }
    }
}
