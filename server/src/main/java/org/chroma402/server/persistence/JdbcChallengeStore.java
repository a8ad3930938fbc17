package org.chroma402.server.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.TokenId;
import org.chroma402.server.gate.ChallengeRecord;
import org.chroma402.server.gate.ChallengeStore;

/** {@link ChallengeStore} on SQLite or PostgreSQL. */
public final class JdbcChallengeStore implements ChallengeStore {
    private static final String COLUMNS = "token_id, payment_hash, key_id, request_digest, model, amount_msat, bolt11, "
            + "created_at, invoice_expires_at, token_expires_at, input_size";

    private final Jdbc jdbc;

    public JdbcChallengeStore(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    @Override
    public void insert(ChallengeRecord c) {
        jdbc.update("INSERT INTO challenges (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                c.tokenId().hex(), c.paymentHash().hex(), c.keyId(), c.requestDigest(), c.model(), c.amountMsat(),
                c.bolt11(), c.createdAt(), c.invoiceExpiresAt(), c.tokenExpiresAt(), c.inputSize());
    }

    @Override
    public Optional<ChallengeRecord> find(TokenId tokenId) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM challenges WHERE token_id = ?", JdbcChallengeStore::map,
                tokenId.hex());
    }

    @Override
    public Optional<ChallengeRecord> findByPaymentHash(PaymentHash paymentHash) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM challenges WHERE payment_hash = ?", JdbcChallengeStore::map,
                paymentHash.hex());
    }

    @Override
    public int deleteCreatedBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM challenges WHERE created_at < ?", cutoff);
    }

    private static ChallengeRecord map(ResultSet rs) throws SQLException {
        return new ChallengeRecord(TokenId.fromHex(rs.getString("token_id")), PaymentHash.fromHex(rs.getString("payment_hash")),
                rs.getString("key_id"), rs.getString("request_digest"), rs.getString("model"), rs.getLong("amount_msat"),
                rs.getString("bolt11"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "invoice_expires_at"),
                Jdbc.instant(rs, "token_expires_at"), Jdbc.integer(rs, "input_size"));
    }
}
