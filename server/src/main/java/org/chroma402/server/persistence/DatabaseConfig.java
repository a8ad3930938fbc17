package org.chroma402.server.persistence;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where state lives: a JDBC URL ({@code jdbc:sqlite:...} by default, or {@code jdbc:postgresql://...}),
 * credentials for PostgreSQL, and the connection pool size. {@code toString} hides the password.
 */
public record DatabaseConfig(String url, String username, String password, int maxPoolSize) {

    public DatabaseConfig {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("database.url must be jdbc:sqlite:... or jdbc:postgresql:..., got " + url);
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("database.max-pool-size must be at least 1");
        }
    }

    /** The embedded default: a SQLite file in the data directory. */
    public static DatabaseConfig sqlite(Path file) {
        return new DatabaseConfig("jdbc:sqlite:" + file.toAbsolutePath(), null, null, 4);
    }

    public boolean isSqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", username=" + username + ", password=" + (password == null ? "none" : "redacted")
                + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
