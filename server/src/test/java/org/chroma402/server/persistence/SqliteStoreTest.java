package org.chroma402.server.persistence;

import java.nio.file.Path;
import org.chroma402.server.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected Database open() {
        return TestDatabases.sqlite(dir);
    }
}
