package org.chroma402.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.chroma402.server.persistence.Database;
import org.chroma402.server.persistence.DatabaseConfig;

/** Real databases for store tests: a SQLite file, and one PostgreSQL server started for the whole run. */
public final class TestDatabases {
    private static EmbeddedPostgres postgres;
    private static int schemas;

    private TestDatabases() {
    }

    public static Database sqlite(Path dir) {
        return Database.open(DatabaseConfig.sqlite(dir.resolve("test.db")));
    }

    /** A fresh, empty database on the shared embedded PostgreSQL server (loopback only). */
    public static Database postgres() {
        return Database.open(new DatabaseConfig(postgresUrl(), "postgres", "postgres", 4));
    }

    /**
     * The JDBC URL of a fresh, empty database on the shared embedded PostgreSQL server, for other
     * processes (replicas) to open; user and password are {@code postgres}.
     */
    public static synchronized String postgresUrl() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException e) {
                        // The JVM is exiting anyway.
                    }
                }));
            }
            String name = "chroma402_test_" + (++schemas);
            try (var c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
