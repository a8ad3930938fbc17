package org.chroma402.server.persistence;

import org.chroma402.server.testing.TestDatabases;

/** The same contract on a real PostgreSQL server (zonky's embedded binaries, loopback only). */
class PostgresStoreTest extends StoreContract {
    @Override
    protected Database open() {
        return TestDatabases.postgres();
    }
}
