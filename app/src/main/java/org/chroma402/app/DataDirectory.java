package org.chroma402.app;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory holds secrets: the root-key secrets in the database (with them anyone can
 * mint tokens), the development node's key and the preimages of its unpaid invoices, people's
 * photos. It is made owner-only (0700) and every file in it 0600 on every start; an older install
 * with looser modes is fixed, with a warning, since someone may already have read it.
 * Models are not secret: a models folder that exists is left as it is (it may be shared on purpose),
 * but what Chroma402 installs is owner-only from the start (see the colorize module's {@code OwnerOnly}).
 */
final class DataDirectory {
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private DataDirectory() {
    }

    /** Creates {@code dir} owner-only, or tightens it and what is in it (except {@code models}). */
    static void secure(Path dir, Path modelsDir) throws IOException {
        if (!Files.exists(dir)) {
            // Owner-only from the start: a fresh install has nothing to warn about.
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
        }
        if (!supportsPosix(dir)) {
            log.warn("{} is on a file system without POSIX permissions: protect it by other means", dir);
            return;
        }
        int[] fixed = {0};
        Path models = modelsDir.toAbsolutePath().normalize();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (!d.equals(dir) && d.toAbsolutePath().normalize().equals(models)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                tighten(d, DIRECTORY, fixed);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    tighten(f, FILE, fixed);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (fixed[0] > 0) {
            log.warn("{} file(s) and folder(s) in {} could be read by other users; they are owner-only now. "
                    + "If others had access, rotate the L402 root keys ('chroma402 keys rotate', then retire the old ones)",
                    fixed[0], dir.toAbsolutePath());
        }
    }

    private static void tighten(Path path, Set<PosixFilePermission> wanted, int[] fixed) throws IOException {
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(path);
        if (current.stream().anyMatch(OTHERS::contains)) {
            fixed[0]++;
        }
        if (!current.equals(wanted)) {
            Files.setPosixFilePermissions(path, wanted);
        }
    }

    private static boolean supportsPosix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
