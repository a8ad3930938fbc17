package org.chroma402.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link BlobStore} in a local directory, owner-only (the folder 0700, each file 0600: these are
 * people's photos). Each object is written to a temporary file of its own, forced to disk and
 * renamed into place, so a crash leaves either the whole object or none, and writers of the same
 * name at once each land a whole object (the last rename wins) instead of deleting each other's
 * temporary file. Temporary files a crash left behind are removed when the store is opened.
 */
public final class FileBlobStore implements BlobStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}(\\.[a-z]{3,4})?");
    private static final String TEMP_SUFFIX = ".tmp";
    private static final java.time.Duration LEFTOVER_AGE = java.time.Duration.ofMinutes(10);

    private final Path directory;

    public FileBlobStore(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // No POSIX permissions here; the data directory's own protection is all there is.
        }
        removeLeftoverTemporaryFiles();
    }

    /**
     * Removes temporary files a crash left behind. Only old ones: {@code results.dir} may be shared
     * by mistake with another running server, whose write of a moment ago must not be pulled away.
     */
    private void removeLeftoverTemporaryFiles() throws IOException {
        java.nio.file.attribute.FileTime before = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(LEFTOVER_AGE));
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory,
                p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(TEMP_SUFFIX))) {
            for (Path leftover : leftovers) {
                try {
                    if (Files.getLastModifiedTime(leftover).compareTo(before) < 0) {
                        Files.deleteIfExists(leftover);
                    }
                } catch (NoSuchFileException gone) {
                    // Renamed into place or removed meanwhile.
                }
            }
        }
    }

    @Override
    public void put(String name, byte[] bytes) throws IOException {
        Path target = file(name);
        // A temporary name of its own: two writers of one name (two first requests for a result's
        // JPEG) must not delete or overwrite each other's half-written file.
        Path tmp = createTemporary(name);
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Optional<byte[]> get(String name) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(file(name)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean delete(String name) throws IOException {
        return Files.deleteIfExists(file(name));
    }

    /** A new, empty file with a unique name beside the objects; people's photos: readable by this server only. */
    private Path createTemporary(String name) throws IOException {
        try {
            return Files.createTempFile(directory, "." + name + ".", TEMP_SUFFIX,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(directory, "." + name + ".", TEMP_SUFFIX);
        }
    }

    private Path file(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid object name");
        }
        return directory.resolve(name);
    }
}
