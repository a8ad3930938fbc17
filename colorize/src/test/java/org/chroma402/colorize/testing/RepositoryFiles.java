package org.chroma402.colorize.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Files of the checkout the tests run in: the repository's root and the shared real photos beside it. */
public final class RepositoryFiles {
    private RepositoryFiles() {
    }

    /** The repository's root: the nearest folder up from the working directory with tools/ddcolor. */
    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("tools/ddcolor")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("the tests run outside a Chroma402 checkout (no tools/ddcolor above "
                + Path.of("").toAbsolutePath() + ")");
    }

    /**
     * One of the real black-and-white photos of {@code shared/test-images}, which lies in the
     * checkout or next to it.
     */
    public static Path realPhoto(String fileName) {
        Path root = root();
        for (Path dir : new Path[] {root.resolve("shared/test-images"), root.resolveSibling("shared").resolve("test-images")}) {
            if (Files.isRegularFile(dir.resolve(fileName))) {
                return dir.resolve(fileName);
            }
        }
        throw new IllegalStateException("no shared/test-images/" + fileName + " in or next to " + root);
    }

    /** A cache folder for files the tests generate once per checkout (under the root's target/). */
    public static Path cache(String name) {
        return root().resolve("target").resolve(name);
    }

    static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }
}
