package org.chroma402.server.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the local disk. */
class FileBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;

    @Override
    BlobStore store() throws Exception {
        return new FileBlobStore(dir.resolve("results"));
    }
}
