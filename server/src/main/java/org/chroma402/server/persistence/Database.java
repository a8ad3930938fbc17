package org.chroma402.server.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, with the schema migrated by Flyway on open. SQLite runs in WAL mode with
 * a busy timeout, so concurrent requests wait for the writer instead of failing.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final boolean sqlite;

    private Database(HikariDataSource dataSource, boolean sqlite) {
        this.dataSource = dataSource;
        this.sqlite = sqlite;
    }

    public static Database open(DatabaseConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        hikari.setPoolName("chroma402");
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setConnectionTimeout(10_000);
        if (config.isSqlite()) {
            String path = config.url().substring("jdbc:sqlite:".length());
            int query = path.indexOf('?');
            Path file = Path.of(query < 0 ? path : path.substring(0, query));
            try {
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                if (!Files.exists(file)) {
                    // The root-key secrets live here, and SQLite gives its WAL and SHM files the
                    // database file's mode: create it owner-only before SQLite creates it 0644.
                    createOwnerOnly(file);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create the database directory for " + file, e);
            }
            hikari.addDataSourceProperty("journal_mode", "WAL");
            hikari.addDataSourceProperty("synchronous", "NORMAL");
            hikari.addDataSourceProperty("busy_timeout", "10000");
            hikari.addDataSourceProperty("foreign_keys", "true");
        } else {
            hikari.setUsername(config.username());
            hikari.setPassword(config.password());
        }
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        log.debug("database ready: {}", config.isSqlite() ? config.url() : config.url().replaceAll("password=[^&]*", "password=..."));
        return new Database(dataSource, config.isSqlite());
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isSqlite() {
        return sqlite;
    }

    /** Whether the database answers. */
    public boolean isHealthy() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static void createOwnerOnly(Path file) throws java.io.IOException {
        try {
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // Another process made it first.
        }
    }
}
