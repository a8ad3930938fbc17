package org.chroma402.server.jobs;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.chroma402.server.gate.ChallengeStore;
import org.chroma402.server.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what has expired: result files past their retention, and challenges nobody can
 * redeem any more. Runs periodically; each pass does a bounded amount of work.
 */
public final class ExpirySweeper implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);

    private final JobStore jobs;
    private final BlobStore results;
    private final ChallengeStore challenges;
    private final Clock clock;
    private final Duration challengeRetention;

    /**
     * @param challengeRetention how long challenges are kept: longer than a token can be redeemed
     *     and its result replayed, so a late retry still finds its token
     */
    public ExpirySweeper(JobStore jobs, BlobStore results, ChallengeStore challenges, Clock clock,
            Duration challengeRetention) {
        this.jobs = jobs;
        this.results = results;
        this.challenges = challenges;
        this.clock = clock;
        this.challengeRetention = challengeRetention;
    }

    @Override
    public void run() {
        try {
            Instant now = clock.instant();
            int deleted = 0;
            for (Job job : jobs.findExpiredResults(now, 500)) {
                try {
                    results.delete(job.resultName());
                    results.delete(job.jpegRenderingName());
                    jobs.markResultDeleted(job.id(), now);
                    deleted++;
                } catch (IOException e) {
                    log.warn("could not delete expired result of job {}: {}", JobService.logId(job.id()), e.getMessage());
                }
            }
            int pruned = challenges.deleteCreatedBefore(now.minus(challengeRetention));
            if (deleted > 0 || pruned > 0) {
                log.info("swept {} expired result(s) and {} old challenge(s)", deleted, pruned);
            }
        } catch (RuntimeException e) {
            log.warn("sweep failed: {}", e.getMessage());
        }
    }
}
