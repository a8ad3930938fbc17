package org.chroma402.server.persistence;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.chroma402.server.gate.RootKeyStore;

/**
 * {@link RootKeyStore} on SQLite or PostgreSQL. Active secrets are cached in memory; a key
 * retired by another process is noticed within {@link #CACHE_MILLIS}.
 */
public final class JdbcRootKeyStore implements RootKeyStore {
    static final long CACHE_MILLIS = 30_000;

    private final Jdbc jdbc;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile String currentId;
    private volatile long currentCheckedAt;

    private record Cached(byte[] secret, long loadedAt) {
    }

    public JdbcRootKeyStore(Database database, Clock clock, SecureRandom random) {
        this.jdbc = new Jdbc(database.dataSource());
        this.clock = clock;
        this.random = random;
    }

    @Override
    public synchronized String currentKeyId() {
        long now = clock.millis();
        if (currentId != null && now - currentCheckedAt < CACHE_MILLIS) {
            return currentId;
        }
        Optional<String> newest = jdbc.queryOne(
                "SELECT id FROM root_keys WHERE retired_at IS NULL ORDER BY created_at DESC, id DESC", rs -> rs.getString("id"));
        currentId = newest.orElseGet(this::rotate);
        currentCheckedAt = now;
        return currentId;
    }

    @Override
    public Optional<byte[]> secret(String keyId) {
        long now = clock.millis();
        Cached cached = cache.get(keyId);
        if (cached != null && now - cached.loadedAt() < CACHE_MILLIS) {
            return Optional.of(cached.secret().clone());
        }
        Optional<byte[]> secret = jdbc.queryOne("SELECT secret FROM root_keys WHERE id = ? AND retired_at IS NULL",
                rs -> HexFormat.of().parseHex(rs.getString("secret")), keyId);
        secret.ifPresentOrElse(s -> cache.put(keyId, new Cached(s, now)), () -> cache.remove(keyId));
        return secret.map(byte[]::clone);
    }

    @Override
    public synchronized String rotate() {
        byte[] id = new byte[16];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        String keyId = HexFormat.of().formatHex(id);
        jdbc.update("INSERT INTO root_keys (id, secret, created_at, retired_at) VALUES (?, ?, ?, NULL)", keyId,
                HexFormat.of().formatHex(secret), clock.instant());
        currentId = keyId;
        currentCheckedAt = clock.millis();
        return keyId;
    }

    @Override
    public synchronized boolean retire(String keyId) {
        int changed = jdbc.update("UPDATE root_keys SET retired_at = ? WHERE id = ? AND retired_at IS NULL",
                clock.instant(), keyId);
        cache.remove(keyId);
        if (keyId.equals(currentId)) {
            currentId = null;
        }
        return changed > 0;
    }

    @Override
    public List<KeyInfo> list() {
        return jdbc.query("SELECT id, created_at, retired_at FROM root_keys ORDER BY created_at", JdbcRootKeyStore::map);
    }

    private static KeyInfo map(ResultSet rs) throws SQLException {
        return new KeyInfo(rs.getString("id"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "retired_at"));
    }
}
