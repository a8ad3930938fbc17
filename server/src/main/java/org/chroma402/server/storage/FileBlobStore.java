package org.chroma402.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@link BlobStore} in a local directory, owner-only (the folder 0700, each file 0600: these are
 * people's photos). Each object is written to a temporary file, forced to disk and renamed into
 * place, so a crash leaves either the whole object or none.
 */
public final class FileBlobStore implements BlobStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}(\\.[a-z]{3,4})?");

    private final Path directory;

    public FileBlobStore(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // No POSIX permissions here; the data directory's own protection is all there is.
        }
    }

    @Override
    public void put(String name, byte[] bytes) throws IOException {
        Path target = file(name);
        Path tmp = directory.resolve("." + name + ".tmp");
        Files.deleteIfExists(tmp);
        // People's photos: readable by this server only.
        try (FileChannel channel = open(tmp)) {
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

    private static FileChannel open(Path tmp) throws IOException {
        try {
            return FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    private Path file(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid object name");
        }
        return directory.resolve(name);
    }
}
