package org.chroma402.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the local disk. */
class FileBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;

    @Override
    BlobStore store() throws Exception {
        return new FileBlobStore(dir.resolve("results"));
    }

    @Test
    void openingRemovesTemporaryFilesACrashLeftButNotOnesBeingWritten() throws Exception {
        Path results = Files.createDirectories(dir.resolve("results"));
        Path crashed = Files.write(results.resolve(".r1.jpg.4711.tmp"), new byte[10]);
        Files.setLastModifiedTime(crashed, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path writing = Files.write(results.resolve(".r2.jpg.4712.tmp"), new byte[10]);
        Path object = Files.write(results.resolve("r3.png"), new byte[10]);
        Files.setLastModifiedTime(object, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        store();
        assertThat(crashed).doesNotExist();
        assertThat(writing).exists();
        assertThat(object).exists();
    }
}
