package org.chroma402.server.gate;

import java.time.Instant;
import java.util.Optional;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.TokenId;

/** Where issued challenges are kept, so a credential can be traced back to what it bought. */
public interface ChallengeStore {

    void insert(ChallengeRecord challenge);

    Optional<ChallengeRecord> find(TokenId tokenId);

    Optional<ChallengeRecord> findByPaymentHash(PaymentHash paymentHash);

    /** Forgets challenges created before {@code cutoff}; returns how many. */
    int deleteCreatedBefore(Instant cutoff);
}
