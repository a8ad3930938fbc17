package org.chroma402.colorize.model;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Model folders and files as the rest of the data directory is kept: owner-only (0700 and 0600),
 * whatever the umask. Weights are not secret, but a models folder inside the data directory must
 * not be the one place other users can list or read, and an operator who imported a checkpoint of
 * their own may not want it copied. On a file system without POSIX permissions nothing changes.
 */
final class OwnerOnly {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Creates {@code dir} and its missing parents owner-only; folders that exist already are left as they are. */
    static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return dir;
        }
        if (absolute.getParent() != null) {
            createDirectories(absolute.getParent());
        }
        if (!posix(absolute.getFileSystem())) {
            Files.createDirectories(absolute);
            return dir;
        }
        try {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(DIRECTORY));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // Another process made it at the same moment: theirs stands.
        }
        return dir;
    }

    /** Makes a file 0600 (a folder 0700). */
    static void restrict(Path path) throws IOException {
        if (posix(path.getFileSystem())) {
            Files.setPosixFilePermissions(path, Files.isDirectory(path) ? DIRECTORY : FILE);
        }
    }

    private static boolean posix(FileSystem fs) {
        return fs.supportedFileAttributeViews().contains("posix");
    }
}
