package org.chroma402.lightning.dev;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files and folders only their owner can read, created so from the first byte (not chmod-ed
 * after the fact, which leaves a window). On a file system without POSIX permissions they are
 * created plainly.
 */
final class OwnerOnly {
    private OwnerOnly() {
    }

    static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getParent() != null) {
            Files.createDirectories(dir.getParent());
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            // Made by another thread meanwhile.
        }
    }

    /** Writes {@code bytes} to a new or truncated file that is 0600. */
    static void write(Path file, byte[] bytes) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.write(file, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
