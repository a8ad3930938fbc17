package org.chroma402.app.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.chroma402.server.testing.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a second process is told, as an operator starting one by mistake sees it: the data
 * directory is in use by a named PID (not "a configuration error"), and an environment mistake is
 * warned about once.
 */
class SecondProcessIT {
    @TempDir
    Path dir;

    @Test
    void aSecondServeOnTheSameDataDirectoryNamesThePidHoldingIt() {
        int port = LoopbackPorts.free();
        Path config = ShippedJar.serveConfig(dir, port, "");
        try (JarProcess first = ShippedJar.start(dir, "serve", "-c", config.toString())) {
            ShippedJar.awaitReady(first, URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(120));

            JarProcess second = ShippedJar.run(dir, Duration.ofSeconds(60), "serve", "-c", config.toString(), "--port",
                    Integer.toString(LoopbackPorts.free()));

            assertThat(second.awaitExit(Duration.ofSeconds(1))).as(second.describe()).isEqualTo(4);
            assertThat(second.stderr()).as(second.describe())
                    .contains("error: the data directory " + dir.resolve("data") + " is in use by another Chroma402 process (PID "
                            + first.pid() + ")")
                    .doesNotContain("configuration");
            assertThat(first.isAlive()).isTrue();

            first.signal("TERM");
            assertThat(first.awaitExit(Duration.ofSeconds(60))).as(first.describe()).isZero();
        }
    }

    @Test
    void aMistypedEnvironmentVariableIsWarnedAboutOnce() {
        JarProcess check = ShippedJar.start(dir, Map.of("CHROMA402_SERVER_PROT", "9000"), List.of("-Xmx256m"),
                "config", "check", "--data-dir", dir.resolve("data").toString());
        assertThat(check.awaitExit(Duration.ofSeconds(60))).as(check.describe()).isZero();
        String all = check.stdout() + check.stderr();
        assertThat(Pattern.compile("CHROMA402_SERVER_PROT:").matcher(all).results().count()).as(all).isEqualTo(1);
        assertThat(all).contains("did you mean CHROMA402_SERVER_PORT?");
    }
}
