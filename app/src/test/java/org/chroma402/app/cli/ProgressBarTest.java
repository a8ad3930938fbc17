package org.chroma402.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress bars only where standard error is a terminal; logs and pipes get plain lines, no control codes. */
class ProgressBarTest {
    @TempDir
    Path dir;

    @Test
    void standardErrorIsATerminalOnlyWhenItsDescriptorIsOne() throws Exception {
        Path pts = Files.createSymbolicLink(dir.resolve("fd-pts"), Path.of("/dev/pts/3"));
        Path logFile = Files.createSymbolicLink(dir.resolve("fd-file"), Path.of("/var/log/chroma402.log"));
        Path pipe = Files.createSymbolicLink(dir.resolve("fd-pipe"), Path.of("pipe:[4711]"));

        assertThat(ProgressBar.isTerminal(pts, "xterm", false)).isTrue();
        // serve 2>log at a terminal: stdin and stdout are terminals (System.console() is not null), stderr is not.
        assertThat(ProgressBar.isTerminal(logFile, "xterm", true)).isFalse();
        assertThat(ProgressBar.isTerminal(pipe, "xterm", true)).isFalse();
        assertThat(ProgressBar.isTerminal(pts, "dumb", true)).isFalse();
        // No /proc (macOS): the JDK's console is all there is to go on.
        assertThat(ProgressBar.isTerminal(dir.resolve("no-such-fd"), "xterm", true)).isTrue();
        assertThat(ProgressBar.isTerminal(dir.resolve("no-such-fd"), "xterm", false)).isFalse();
    }

    @Test
    void withoutATerminalEachStepIsAPlainLine() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), "downloading large", false);
        for (long done = 0; done <= 100; done += 5) {
            bar.bytes(done << 20, 100L << 20);
        }
        assertThat(text.toString()).doesNotContain("\u001b").doesNotContain("\r")
                .contains("downloading large [########################] 100.0% 100.0 MiB / 100.0 MiB");
        assertThat(text.toString().lines()).hasSize(11);

        StringWriter terminal = new StringWriter();
        new ProgressBar(new PrintWriter(terminal), "downloading large", true).bytes(1, 2);
        assertThat(terminal.toString()).startsWith("\r").contains("\u001b[K");
    }
}
