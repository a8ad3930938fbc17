package org.chroma402.server.gate;

/** What asking the gate for a challenge gave: a challenge to send, or why none was made. */
public sealed interface ChallengeResult {

    /** A fresh, payable challenge. */
    record Issued(IssuedChallenge challenge) implements ChallengeResult {
    }

    /** No challenge now; the client may ask again after {@code retryAfterSeconds}. Nothing was charged. */
    record Refused(Cause cause, long retryAfterSeconds, String detail) implements ChallengeResult {
    }

    /** Why no challenge was made. */
    enum Cause {
        /** This client asked for too many invoices. */
        RATE_LIMITED,
        /** The model's queue is full: paid work comes first. */
        BUSY,
        /** This client address has as much paid work and unredeemed invoices outstanding as it may. */
        PAYER_BACKLOG,
        /** As many paid jobs are waiting as the server takes: a payment now would wait too long. */
        QUEUE_FULL,
        /** The Lightning backend cannot make an invoice. */
        LIGHTNING_UNAVAILABLE,
        /** Results could not be stored (the object store is down): a payment now could not be served. */
        STORAGE_UNAVAILABLE
    }
}
