package org.chroma402.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chroma402.app.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What {@code serve} and {@code config check} say about a start that cannot work, before doing anything else. */
class StartupProblemsTest {
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
    void aPortInUseIsOneClearLineBeforeAnyOtherWork() throws Exception {
        ch.qos.logback.classic.Logger chroma402 = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.chroma402");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        chroma402.addAppender(logged);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // auto-pull is on and no model is installed: a start that went on would announce the downloads.
            Path config = Files.writeString(dir.resolve("chroma402.yaml"), """
                    data-dir: %s
                    server:
                      port: %d
                    models:
                      hub-url: http://127.0.0.1:9
                    """.formatted(dir.resolve("data"), taken.getLocalPort()));

            Run serve = run("serve", "-c", config.toString());

            assertThat(serve.exit()).isEqualTo(ExitCodes.IN_USE);
            assertThat(serve.err().strip()).isEqualTo("error: port " + taken.getLocalPort()
                    + " on 127.0.0.1 is in use by another process; stop it, or choose another port with --port or server.port");
            assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        } finally {
            chroma402.detachAppender(logged);
        }
    }

    @Test
    void everyMistakeInTheFileIsReportedInOneRun() throws Exception {
        Path config = Files.writeString(dir.resolve("chroma402.yaml"), """
                data-dir: %s
                server:
                  prot: 9000
                  shutdown-grace: soon
                jobs:
                  workers: two
                """.formatted(dir.resolve("data")));

        Run check = run("config", "check", "-c", config.toString());

        assertThat(check.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(check.err().lines().toList()).containsExactly(
                "error: configuration: 3 mistakes",
                "  - unknown setting 'server.prot' (" + config + ":3); did you mean 'server.port'?",
                "  - server.shutdown-grace must be a duration such as 10m, 600s or 24h, got 'soon' (" + config + ":4)",
                "  - jobs.workers must be a whole number, got 'two' (" + config + ":6)");
    }

    @Test
    void configCheckShowsThePricesOfTheModelsOnSale() throws Exception {
        Path config = Files.writeString(dir.resolve("chroma402.yaml"), """
                data-dir: %s
                pricing:
                  large: 21
                """.formatted(dir.resolve("data")));

        Run check = run("config", "check", "-c", config.toString());

        assertThat(check.exit()).as(check.err()).isZero();
        assertThat(check.out()).containsPattern("(?m)^pricing\\.large +=  ?21 +\\(" + java.util.regex.Pattern.quote(config + ":3") + "\\)$")
                .containsPattern("(?m)^pricing\\.tiny +=  ?5 +\\(default\\)$");
    }
}
