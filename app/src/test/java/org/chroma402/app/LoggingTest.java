package org.chroma402.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.chroma402.app.config.ConfigException;
import org.chroma402.app.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** logging.format and logging.level, as an operator sets them, in a child JVM with the production logging configuration. */
class LoggingTest {
    @TempDir
    Path dir;

    private Process configCheck(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), "org.chroma402.app.Main", "config", "check", "--data-dir",
                dir.toString());
        pb.environment().putAll(env);
        return pb.start();
    }

    @Test
    void jsonLogsAreOneObjectALineWithAnIsoTimestamp() throws Exception {
        // An unknown variable makes the loader log a warning: a log line to look at.
        Process p = configCheck(Map.of("CHROMA402_LOGGING_FORMAT", "json", "CHROMA402_SERVER_PROT", "1"));
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String line = err.lines().filter(l -> l.contains("SERVER_PROT")).findFirst().orElseThrow(() -> new AssertionError(err));
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("WARN");
        assertThat(json.get("message").asText()).contains("did you mean CHROMA402_SERVER_PORT");
    }

    @Test
    void textLogsCarryDateTimeAndZone() throws Exception {
        Process p = configCheck(Map.of("CHROMA402_SERVER_PROT", "1"));
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(err.lines().filter(l -> l.contains("SERVER_PROT")).findFirst().orElseThrow())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) WARN .*");
    }

    @Test
    void badLoggingSettingsAreConfigurationErrors() {
        assertThatThrownBy(() -> Logging.apply(ConfigLoader.load(null, Map.of("CHROMA402_LOGGING_LEVEL", "loud"), Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CHROMA402_LOGGING_LEVEL");
    }
}
