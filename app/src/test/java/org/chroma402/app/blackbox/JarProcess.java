package org.chroma402.app.blackbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code java -jar chroma402.jar …} child process, its standard output and error kept in files
 * (so a test can read them while it runs, and they survive for the failure message). Signals are
 * real: {@link #signal} runs {@code kill -SIG pid}, as systemd, Docker and a terminal do.
 */
public final class JarProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final List<String> command;

    JarProcess(Process process, Path stdout, Path stderr, List<String> command) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.command = command;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything written to standard output so far. */
    public String stdout() {
        return read(stdout);
    }

    /** Everything written to standard error so far (the server's log). */
    public String stderr() {
        return read(stderr);
    }

    /** Writes one line to standard input (started with {@link ShippedJar#startWithInput}) and flushes it. */
    public void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the process's input\n" + describe(), e);
        }
    }

    /** Closes standard input: the end of the conversation, as when the host that started it goes away. */
    public void closeInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a real signal ({@code TERM}, {@code INT}, {@code KILL}) with {@code kill}. */
    public void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Waits until the standard error (the log) or output matches {@code regex}; returns the match.
     * Fails with the whole output when the process exits first or the time runs out.
     */
    public Matcher awaitOutput(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String text : new String[] {stderr(), stdout()}) {
                Matcher m = pattern.matcher(text);
                if (m.find()) {
                    return m;
                }
            }
            if (!process.isAlive()) {
                // One last read: the line may have been written just before the exit.
                for (String text : new String[] {stderr(), stdout()}) {
                    Matcher m = pattern.matcher(text);
                    if (m.find()) {
                        return m;
                    }
                }
                throw new AssertionError("exited (" + process.exitValue() + ") before printing /" + regex + "/\n" + describe());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no /" + regex + "/ within " + timeout + "\n" + describe());
            }
            sleep(50);
        }
    }

    /** Waits for the process to exit and returns its exit code; fails (and kills it) if it does not. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                String state = describe();
                process.destroyForcibly();
                throw new AssertionError("still running after " + timeout + "\n" + state);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The command and its output so far, for failure messages. */
    public String describe() {
        return "$ " + String.join(" ", command) + "\n--- stdout\n" + tail(stdout()) + "\n--- stderr\n" + tail(stderr());
    }

    /** {@code kill -9} if still running: a test that failed leaves no server behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String tail(String text) {
        return text.length() <= 20_000 ? text : "…" + text.substring(text.length() - 20_000);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
