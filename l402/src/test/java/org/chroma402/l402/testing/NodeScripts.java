package org.chroma402.l402.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the scripts in {@code interop/}, which drive third-party libraries from npm (js-macaroon,
 * bolt11, Alby's lightning-tools) against Chroma402. Needs Node.js and {@code npm ci} in
 * {@code interop/}; without them the tests are skipped with a message, unless
 * {@code CHROMA402_REQUIRE_INTEROP=1} (set by CI, which installs them): then they fail.
 */
public final class NodeScripts {
    private NodeScripts() {
    }

    /** The interop directory, found from any module's working directory. */
    public static Path directory() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("interop");
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no interop/ directory above " + Path.of("").toAbsolutePath());
    }

    /** Skips (or, in CI, fails) when Node.js or the npm packages are missing. */
    public static void requireInstalled() {
        boolean node = which("node");
        boolean modules = Files.isDirectory(directory().resolve("node_modules"));
        if (!(node && modules) && "1".equals(System.getenv("CHROMA402_REQUIRE_INTEROP"))) {
            throw new AssertionError("interop tests need node and 'npm ci' in " + directory());
        }
        Assumptions.assumeTrue(node && modules, "interop tests need Node.js and 'npm ci' in interop/");
    }

    /** Runs {@code node script args...} with {@code stdin}; returns stdout, or fails with stderr. */
    public static String run(String script, String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(directory().toFile()).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(script + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(script + " failed (" + process.exitValue() + "): " + err.join());
            }
            return out.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean which(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
