package org.chroma402.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chroma402.app.config.ConfigLoader;
import org.chroma402.app.config.Settings;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile and the systemd unit cannot run here, so they are checked the other way round:
 * every setting they give is a known, valid setting; the paths they use are the ones the build
 * makes and the data directory the unit creates; the unit passes {@code systemd-analyze verify}.
 */
class PackagingTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern VARIABLE = Pattern.compile("(CHROMA402_[A-Z0-9_]+)=([^\\s\\\\]+)");

    private static Map<String, String> variables(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static void assertKnownSettings(Map<String, String> variables) {
        assertThat(variables).isNotEmpty();
        Settings settings = ConfigLoader.load(null, variables, Map.of());
        assertThat(settings.warnings()).as("unknown variables").isEmpty();
        assertThat(settings.asMap()).hasSize(variables.size());
    }

    @Test
    void theDockerfileUsesKnownSettingsAndTheJarTheBuildMakes() throws Exception {
        String docker = Files.readString(ROOT.resolve("Dockerfile"));
        assertKnownSettings(variables(docker));
        assertThat(docker).contains("COPY --from=build /src/app/target/chroma402.jar");
        assertThat(Files.readString(ROOT.resolve("app/pom.xml"))).contains("<finalName>chroma402</finalName>");
        assertThat(docker).contains("USER chroma402").contains("VOLUME /var/lib/chroma402")
                .contains("CHROMA402_DATA_DIR=/var/lib/chroma402").contains("/readyz").contains("CMD [\"serve\"]");
        assertThat(Files.readString(ROOT.resolve(".dockerignore"))).contains("**/target/").contains("data/");
    }

    @Test
    void theSystemdUnitUsesKnownSettingsAndItsOwnStateDirectory() throws Exception {
        String unit = Files.readString(ROOT.resolve("packaging/chroma402.service"));
        Map<String, String> vars = variables(unit);
        assertKnownSettings(vars);
        assertThat(unit).contains("StateDirectory=chroma402").contains("WorkingDirectory=/var/lib/chroma402");
        assertThat(vars).containsEntry("CHROMA402_DATA_DIR", "/var/lib/chroma402");
        // The same install path as the container's, and a stop timeout longer than the shutdown grace.
        assertThat(unit).contains("/opt/chroma402/chroma402.jar serve").contains("Restart=on-failure")
                .contains("TimeoutStopSec=50").contains("NoNewPrivileges=yes").contains("ProtectSystem=strict");
    }

    @Test
    void theSystemdUnitPassesSystemdAnalyzeVerify() throws Exception {
        verifyUnit("chroma402.service");
    }

    /** {@code systemd-analyze verify} on a unit of packaging/, which must pass without a warning about it. */
    private static void verifyUnit(String name) throws Exception {
        File analyze = new File("/usr/bin/systemd-analyze");
        boolean required = "1".equals(System.getenv("CHROMA402_REQUIRE_SYSTEMD"));
        assumeTrue(required || analyze.canExecute(), "systemd-analyze is not installed (apt-get install systemd)");
        Path copy = Files.createTempDirectory("unit").resolve(name);
        Files.copy(ROOT.resolve("packaging/" + name), copy);
        Process verify = new ProcessBuilder(analyze.getPath(), "verify", copy.toString()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(output).isZero();
        // verify prints warnings without failing; there should be none about this unit.
        assertThat(output).doesNotContain(name + ":");
    }

    @Test
    void theComposeFileParsesAndEveryServiceUsesKnownValidSettings() throws Exception {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("packaging/docker-compose.yml").toFile());
        JsonNode services = compose.get("services");
        assertThat(services.fieldNames()).toIterable().contains("postgres", "minio", "replica-a", "replica-b", "worker", "haproxy");
        Path secrets = Files.createTempDirectory("secrets");
        int checked = 0;
        for (var it = services.fields(); it.hasNext(); ) {
            var service = it.next();
            Map<String, String> env = new LinkedHashMap<>();
            service.getValue().path("environment").fields().forEachRemaining(e -> {
                if (e.getKey().startsWith("CHROMA402_")) {
                    env.put(e.getKey(), e.getValue().asText());
                }
            });
            if (env.isEmpty()) {
                continue;
            }
            // The secrets' files exist in the container; here, stand-ins with the same names.
            for (Map.Entry<String, String> e : env.entrySet()) {
                if (e.getValue().startsWith("/run/secrets/")) {
                    Path file = secrets.resolve(e.getValue().substring("/run/secrets/".length()));
                    if (!Files.exists(file)) {
                        Files.writeString(file, "stand-in");
                    }
                    e.setValue(file.toString());
                }
            }
            Settings settings = ConfigLoader.load(null, env, Map.of("data-dir", secrets.resolve("data").toString()));
            assertThat(settings.warnings()).as(service.getKey()).isEmpty();
            // What serve and worker read from them must hold together, as `config check` checks it.
            org.chroma402.app.config.Chroma402Config config = org.chroma402.app.config.Chroma402Config.from(settings);
            org.chroma402.app.config.ServeConfig serve = org.chroma402.app.config.ServeConfig.from(settings, config);
            org.chroma402.app.config.RemoteInference remote = org.chroma402.app.config.RemoteInference.from(settings);
            if (service.getKey().startsWith("replica")) {
                assertThat(serve.s3()).as("replicas share the bucket").isNotNull();
                assertThat(serve.database().url()).startsWith("jdbc:postgresql://postgres:");
                assertThat(remote.enabled()).isTrue();
                assertThat(service.getValue().path("command").get(0).asText()).isEqualTo("serve");
            }
            checked++;
        }
        assertThat(checked).isEqualTo(3);
        assertThat(compose.path("secrets").size()).isEqualTo(5);
    }

    @Test
    void theHaproxyExamplePassesHaproxysOwnCheck() throws Exception {
        File haproxy = new File("/usr/sbin/haproxy");
        assumeTrue("1".equals(System.getenv("CHROMA402_REQUIRE_HAPROXY")) || haproxy.canExecute(), "haproxy is not installed");
        Process check = new ProcessBuilder(haproxy.getPath(), "-c", "-f", ROOT.resolve("packaging/haproxy.cfg").toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("Configuration file is valid");
    }

    @Test
    void theWorkerUnitUsesKnownSettingsAndPassesSystemdAnalyzeVerify() throws Exception {
        String unit = Files.readString(ROOT.resolve("packaging/chroma402-worker.service"));
        assertKnownSettings(variables(unit));
        assertThat(unit).contains("/opt/chroma402/chroma402.jar worker").contains("StateDirectory=chroma402");
        verifyUnit("chroma402-worker.service");
    }
}
