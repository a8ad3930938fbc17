package org.chroma402.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.chroma402.app.config.ConfigLoader;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets at rest: after a start, nobody but the owner can read the data directory or what is in it. */
class DataDirectoryTest {
    @TempDir
    Path dir;

    private Map<String, String> flags(Path data) {
        Path model = TestResources.tinyModel();
        Map<String, String> flags = new HashMap<>();
        flags.put("data-dir", data.toString());
        flags.put("server.port", "0");
        flags.put("models.dir", model.getParent().toString());
        flags.put("models.large.file", model.getFileName().toString());
        flags.put("models.tiny.file", model.getFileName().toString());
        return flags;
    }

    @Test
    void aFreshStartMakesEverythingOwnerOnlyWithoutWarningAboutIt() throws Exception {
        Path data = dir.resolve("data");
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                DataDirectory.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> warnings =
                new ch.qos.logback.core.read.ListAppender<>();
        warnings.start();
        logger.addAppender(warnings);
        try (Assembly.Service service = Assembly.server(ConfigLoader.load(null, Map.of(), flags(data)))) {
            assertThat(warnings.list).as("nothing was readable by others before").isEmpty();
            ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + service.server().start()));
            // A challenge writes an unpaid invoice (with its preimage) and database rows.
            assertThat(api.post("/api/l402/colorize-image",
                    ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "large")).statusCode()).isEqualTo(402);
            assertOwnerOnly(data);
            assertThat(Files.exists(data.resolve("chroma402.db-wal"))).isTrue();
        } finally {
            logger.detachAppender(warnings);
        }
    }

    @Test
    void anOlderInstallWithLooseModesIsTightenedOnStart() throws Exception {
        Path data = dir.resolve("old");
        Files.createDirectories(data.resolve("devnode/invoices"));
        Files.writeString(data.resolve("devnode/invoices/old.json"), "{}");
        Files.writeString(data.resolve("chroma402.db"), "");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("devnode"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("devnode/invoices/old.json"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(data.resolve("chroma402.db"), PosixFilePermissions.fromString("rw-r--r--"));
        try (Assembly.Service service = Assembly.server(ConfigLoader.load(null, Map.of(), flags(data)))) {
            service.server().start();
            assertOwnerOnly(data);
        }
    }

    private static void assertOwnerOnly(Path data) throws Exception {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(data)) {
            all = walk.toList();
        }
        assertThat(all).hasSizeGreaterThan(4);
        for (Path p : all) {
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
            assertThat(mode).as(data.relativize(p).toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
        }
    }
}
