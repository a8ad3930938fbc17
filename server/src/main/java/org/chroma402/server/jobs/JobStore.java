package org.chroma402.server.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.chroma402.l402.PaymentHash;

/**
 * Where jobs are kept. The payment hash is unique, which is what makes one payment buy exactly
 * one result across threads and processes; leases let another process take over a job whose
 * worker died.
 */
public interface JobStore {

    /** Inserts a new job; false when a job for the same payment hash already exists. */
    boolean insert(Job job);

    Optional<Job> findById(String id);

    Optional<Job> findByPaymentHash(PaymentHash paymentHash);

    /** The job whose result is stored under {@code resultName}. */
    Optional<Job> findByResultName(String resultName);

    /**
     * Takes the job for {@code owner} until {@code leaseUntil}, if it is queued, failed, or
     * running under an expired lease. Returns whether this caller now holds it.
     */
    boolean claim(String id, String owner, Instant now, Instant leaseUntil);

    /** Extends a held lease; false if the lease was lost. */
    boolean renewLease(String id, String owner, Instant leaseUntil);

    /** Records the stored result. Only the lease holder may. */
    boolean markDone(String id, String owner, String resultName, int width, int height, Instant now,
            Instant resultExpiresAt);

    /** Records a failure the client can retry. Only the lease holder may. */
    boolean markFailed(String id, String owner, String error, Instant now);

    /** Jobs that were paid for but never finished, whose lease has run out (a crash). */
    List<Job> findUnfinished(Instant now, int limit);

    /** Done jobs whose result has expired but whose file is not yet deleted. */
    List<Job> findExpiredResults(Instant now, int limit);

    void markResultDeleted(String id, Instant now);

    /** Clears the stored input's name once it is deleted. */
    void clearInput(String id, Instant now);

    long count(JobState state);

    /**
     * Hands back the jobs {@code owner} holds (a stopping process), so another process or the next
     * start takes them over at once instead of waiting out the lease. Returns how many.
     */
    int releaseLeases(String owner, Instant now);

    /**
     * Releases every lease, for a process that has the database to itself (embedded SQLite):
     * leases left by a previous run of the same server are stale. Returns how many.
     */
    int releaseAllLeases(Instant now);
}
