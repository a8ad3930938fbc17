package org.chroma402.colorize.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * DDColor checkpoints with seeded random weights, written by {@code tools/ddcolor/make_test_checkpoint.py}
 * with Debian's python3-torch the way the authors' files are ({@code torch.save}, or safetensors),
 * once per checkout into {@code target/test-checkpoints}. The same seed gives the same weights
 * anywhere, so outputs of the official pipeline computed once from them are test fixtures.
 *
 * <p>Without PyTorch the tests that need a checkpoint are skipped, unless
 * {@code CHROMA402_REQUIRE_TORCH} is set (CI sets it), which makes them fail instead.
 */
public final class TestCheckpoints {
    /** The tiny checkpoint of the fidelity fixtures: {"params": state dict}, as piddnad/DDColor-models has it. */
    public static final Spec TINY = new Spec("tiny", 1, "pth");
    /** The same weights as {@link #TINY}, as safetensors. */
    public static final Spec TINY_SAFETENSORS = new Spec("tiny", 1, "safetensors");
    /** The large checkpoint of the fidelity fixtures: a bare state dict, as pytorch_model.bin. */
    public static final Spec LARGE = new Spec("large", 2, "bin");

    /** Which checkpoint: architecture, seed and file format. */
    public record Spec(String architecture, int seed, String format) {
        String fileName() {
            return "ddcolor-" + architecture + "-seed" + seed + "." + format;
        }
    }

    private TestCheckpoints() {
    }

    /** The checkpoint's file, made now if this checkout has none yet. */
    public static synchronized Path get(Spec spec) {
        Path dir = RepositoryFiles.cache("test-checkpoints");
        Path file = dir.resolve(spec.fileName());
        if (Files.isRegularFile(file)) {
            return file;
        }
        String python = python();
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve(spec.fileName() + ".log");
            Process p = new ProcessBuilder(python, RepositoryFiles.root().resolve("tools/ddcolor/make_test_checkpoint.py").toString(),
                    "--architecture", spec.architecture(), "--seed", String.valueOf(spec.seed()), "--format", spec.format(),
                    "--output", file.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("make_test_checkpoint.py failed: " + Files.readString(log, StandardCharsets.UTF_8));
            }
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A Python with torch: $CHROMA402_PYTHON, or Debian's /usr/bin/python3, or python3 on the PATH. */
    private static String python() {
        List<String> candidates = RepositoryFiles.env("CHROMA402_PYTHON").map(List::of)
                .orElse(List.of("/usr/bin/python3", "python3"));
        for (String candidate : candidates) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import torch, numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // Not this one.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        String why = "no Python with PyTorch (Debian: apt-get install python3-torch) to write test checkpoints with";
        if (RepositoryFiles.env("CHROMA402_REQUIRE_TORCH").isPresent()) {
            throw new IllegalStateException(why + ", and CHROMA402_REQUIRE_TORCH is set");
        }
        Assumptions.abort(why);
        return null;
    }
}
