package org.chroma402.server.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.TokenId;
import org.chroma402.server.jobs.Job;
import org.chroma402.server.jobs.JobState;
import org.chroma402.server.jobs.JobStore;

/** {@link JobStore} on SQLite or PostgreSQL; every state change is one conditional UPDATE. */
public final class JdbcJobStore implements JobStore {
    private static final String COLUMNS = "id, payment_hash, token_id, request_digest, model, amount_msat, state, attempts, "
            + "lease_owner, lease_until, input_name, result_name, width, height, error, created_at, updated_at, "
            + "finished_at, result_expires_at, result_deleted_at, input_size, saturation_percent";

    private final Jdbc jdbc;

    public JdbcJobStore(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    @Override
    public boolean insert(Job j) {
        return jdbc.insertUnique("INSERT INTO jobs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                j.id(), j.paymentHash().hex(), j.tokenId().hex(), j.requestDigest(), j.model(), j.amountMsat(),
                j.state().name(), j.attempts(), j.leaseOwner(), j.leaseUntil(), j.inputName(), j.resultName(),
                j.width(), j.height(), j.error(), j.createdAt(), j.updatedAt(), j.finishedAt(), j.resultExpiresAt(),
                j.resultDeletedAt(), j.inputSize(), j.saturationPercent());
    }

    @Override
    public Optional<Job> findById(String id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM jobs WHERE id = ?", JdbcJobStore::map, id);
    }

    @Override
    public Optional<Job> findByPaymentHash(PaymentHash paymentHash) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM jobs WHERE payment_hash = ?", JdbcJobStore::map, paymentHash.hex());
    }

    @Override
    public Optional<Job> findByResultName(String resultName) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM jobs WHERE result_name = ?", JdbcJobStore::map, resultName);
    }

    @Override
    public boolean claim(String id, String owner, Instant now, Instant leaseUntil) {
        return jdbc.update("""
                UPDATE jobs SET state = 'RUNNING', lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
                WHERE id = ? AND (state = 'QUEUED' OR state = 'FAILED' OR (state = 'RUNNING' AND lease_until < ?))
                """, owner, leaseUntil, now, id, now) == 1;
    }

    @Override
    public boolean renewLease(String id, String owner, Instant leaseUntil) {
        return jdbc.update("UPDATE jobs SET lease_until = ? WHERE id = ? AND state = 'RUNNING' AND lease_owner = ?",
                leaseUntil, id, owner) == 1;
    }

    @Override
    public boolean markDone(String id, String owner, String resultName, int width, int height, Instant now,
            Instant resultExpiresAt) {
        return jdbc.update("""
                UPDATE jobs SET state = 'DONE', result_name = ?, width = ?, height = ?, error = NULL, finished_at = ?,
                       updated_at = ?, result_expires_at = ?, lease_until = 0
                WHERE id = ? AND state = 'RUNNING' AND lease_owner = ?
                """, resultName, width, height, now, now, resultExpiresAt, id, owner) == 1;
    }

    @Override
    public boolean markFailed(String id, String owner, String error, Instant now) {
        return jdbc.update("""
                UPDATE jobs SET state = 'FAILED', error = ?, updated_at = ?, lease_until = 0
                WHERE id = ? AND state = 'RUNNING' AND lease_owner = ?
                """, error, now, id, owner) == 1;
    }

    @Override
    public List<Job> findUnfinished(Instant now, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM jobs WHERE (state = 'QUEUED' OR (state = 'RUNNING' AND lease_until < ?)) "
                + "AND input_name IS NOT NULL ORDER BY created_at LIMIT " + limit, JdbcJobStore::map, now);
    }

    @Override
    public List<Job> findExpiredResults(Instant now, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM jobs WHERE state = 'DONE' AND result_expires_at < ? "
                + "AND result_deleted_at IS NULL ORDER BY result_expires_at LIMIT " + limit, JdbcJobStore::map, now);
    }

    @Override
    public void markResultDeleted(String id, Instant now) {
        jdbc.update("UPDATE jobs SET result_deleted_at = ?, updated_at = ? WHERE id = ?", now, now, id);
    }

    @Override
    public void clearInput(String id, Instant now) {
        jdbc.update("UPDATE jobs SET input_name = NULL, updated_at = ? WHERE id = ?", now, id);
    }

    @Override
    public long count(JobState state) {
        return jdbc.queryOne("SELECT COUNT(*) AS n FROM jobs WHERE state = ?", rs -> rs.getLong("n"), state.name()).orElse(0L);
    }

    @Override
    public int releaseLeases(String owner, Instant now) {
        // A job handed back by a stopping process did not fail: its attempt is given back too.
        return jdbc.update("""
                UPDATE jobs SET lease_until = 0, updated_at = ?, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END
                WHERE state = 'RUNNING' AND lease_owner = ?
                """, now, owner);
    }

    @Override
    public int releaseAllLeases(Instant now) {
        return jdbc.update("UPDATE jobs SET lease_until = 0, updated_at = ? WHERE state = 'RUNNING'", now);
    }

    private static Job map(ResultSet rs) throws SQLException {
        return new Job(rs.getString("id"), PaymentHash.fromHex(rs.getString("payment_hash")),
                TokenId.fromHex(rs.getString("token_id")), rs.getString("request_digest"), rs.getString("model"),
                rs.getLong("amount_msat"), JobState.valueOf(rs.getString("state")), rs.getInt("attempts"),
                rs.getString("lease_owner"), Jdbc.instant(rs, "lease_until"), rs.getString("input_name"),
                rs.getString("result_name"), Jdbc.integer(rs, "width"), Jdbc.integer(rs, "height"), rs.getString("error"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"), Jdbc.instant(rs, "finished_at"),
                Jdbc.instant(rs, "result_expires_at"), Jdbc.instant(rs, "result_deleted_at"), Jdbc.integer(rs, "input_size"),
                Jdbc.integer(rs, "saturation_percent"));
    }
}
