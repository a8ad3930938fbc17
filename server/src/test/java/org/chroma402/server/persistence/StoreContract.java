package org.chroma402.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.chroma402.l402.Preimage;
import org.chroma402.l402.TokenId;
import org.chroma402.lightning.testing.MutableClock;
import org.chroma402.server.gate.ChallengeRecord;
import org.chroma402.server.jobs.Job;
import org.chroma402.server.jobs.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stores' behaviour, run against each real database (migrations included). */
abstract class StoreContract {
    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = MutableClock.startingNow();
    private Database database;
    private JdbcJobStore jobs;
    private JdbcChallengeStore challenges;
    private JdbcRootKeyStore keys;

    protected abstract Database open();

    @BeforeEach
    void setUp() {
        database = open();
        jobs = new JdbcJobStore(database);
        challenges = new JdbcChallengeStore(database);
        keys = new JdbcRootKeyStore(database, clock, random);
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    private Job newJob(String id) {
        return Job.queued(id, Preimage.random(random).hash(), TokenId.random(random), "digest", "large", 5000,
                "input-" + id, clock.instant(), null);
    }

    @Test
    void aJobKeepsItsColourStrength() {
        Job job = Job.queued("s1", Preimage.random(random).hash(), TokenId.random(random), "digest", "large", 5000,
                "input-s1", clock.instant(), 320, 125);
        assertThat(jobs.insert(job)).isTrue();
        assertThat(jobs.findById("s1")).hasValueSatisfying(j -> {
            assertThat(j.saturationPercent()).isEqualTo(125);
            assertThat(j.saturation()).isEqualTo(1.25f);
        });
        jobs.insert(newJob("s2"));
        assertThat(jobs.findById("s2")).hasValueSatisfying(j -> assertThat(j.saturation()).isEqualTo(1f));
    }

    @Test
    void onePaymentHashHoldsOneJob() {
        Job job = newJob("a1");
        assertThat(jobs.insert(job)).isTrue();
        Job sameHash = new Job("a2", job.paymentHash(), job.tokenId(), "digest", "large", 5000, JobState.QUEUED, 0, null,
                Instant.EPOCH, null, null, null, null, null, clock.instant(), clock.instant(), null, null, null, null, null);
        assertThat(jobs.insert(sameHash)).isFalse();
        assertThat(jobs.findByPaymentHash(job.paymentHash())).map(Job::id).hasValue("a1");
        assertThat(jobs.findById("a1")).hasValueSatisfying(j -> assertThat(j.state()).isEqualTo(JobState.QUEUED));
    }

    @Test
    void concurrentInsertsOfOnePaymentLetExactlyOneWin() throws Exception {
        Job template = newJob("x0");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String id = "x" + (i + 1);
            results.add(pool.submit(() -> {
                start.await();
                return jobs.insert(new Job(id, template.paymentHash(), template.tokenId(), "d", "large", 1, JobState.QUEUED,
                        0, null, Instant.EPOCH, null, null, null, null, null, clock.instant(), clock.instant(), null, null, null, null, null));
            }));
        }
        start.countDown();
        int won = 0;
        for (Future<Boolean> f : results) {
            won += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(won).isEqualTo(1);
    }

    @Test
    void leasesDecideWhoRunsAJob() {
        jobs.insert(newJob("b1"));
        Instant now = clock.instant();
        assertThat(jobs.claim("b1", "worker-1", now, now.plusSeconds(30))).isTrue();
        assertThat(jobs.claim("b1", "worker-2", now, now.plusSeconds(30))).as("lease still held").isFalse();
        assertThat(jobs.renewLease("b1", "worker-1", now.plusSeconds(60))).isTrue();
        assertThat(jobs.renewLease("b1", "worker-2", now.plusSeconds(60))).isFalse();
        assertThat(jobs.findUnfinished(now.plusSeconds(59), 10)).isEmpty();
        assertThat(jobs.findUnfinished(now.plusSeconds(61), 10)).extracting(Job::id).containsExactly("b1");
        assertThat(jobs.claim("b1", "worker-2", now.plusSeconds(61), now.plusSeconds(91))).as("lease expired").isTrue();
        assertThat(jobs.markDone("b1", "worker-1", "r", 1, 1, now, now)).as("old owner lost the lease").isFalse();
        assertThat(jobs.markDone("b1", "worker-2", "result-b1", 640, 480, now.plusSeconds(62), now.plusSeconds(3600))).isTrue();
        Job done = jobs.findById("b1").orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.DONE);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.width()).isEqualTo(640);
        assertThat(done.resultName()).isEqualTo("result-b1");
        assertThat(jobs.claim("b1", "worker-3", now.plusSeconds(9999), now.plusSeconds(99999))).as("done is final").isFalse();
    }

    @Test
    void failedJobsCanBeRetried() {
        jobs.insert(newJob("c1"));
        Instant now = clock.instant();
        jobs.claim("c1", "w", now, now.plusSeconds(30));
        assertThat(jobs.markFailed("c1", "w", "model exploded", now)).isTrue();
        assertThat(jobs.findById("c1").orElseThrow().error()).isEqualTo("model exploded");
        assertThat(jobs.count(JobState.FAILED)).isEqualTo(1);
        assertThat(jobs.claim("c1", "w2", now, now.plusSeconds(30))).isTrue();
    }

    @Test
    void expiredResultsAreFoundOnceAndInputsCleared() {
        jobs.insert(newJob("d1"));
        Instant now = clock.instant();
        jobs.claim("d1", "w", now, now.plusSeconds(30));
        jobs.markDone("d1", "w", "res", 1, 1, now, now.plus(Duration.ofHours(1)));
        jobs.clearInput("d1", now);
        assertThat(jobs.findById("d1").orElseThrow().inputName()).isNull();
        assertThat(jobs.findExpiredResults(now.plus(Duration.ofMinutes(59)), 10)).isEmpty();
        assertThat(jobs.findExpiredResults(now.plus(Duration.ofMinutes(61)), 10)).extracting(Job::id).containsExactly("d1");
        jobs.markResultDeleted("d1", now.plus(Duration.ofMinutes(61)));
        assertThat(jobs.findExpiredResults(now.plus(Duration.ofMinutes(62)), 10)).isEmpty();
    }

    @Test
    void challengesAreFoundByTokenAndPaymentHashAndPruned() {
        ChallengeRecord c = new ChallengeRecord(TokenId.random(random), Preimage.random(random).hash(), "k1", "digest",
                "tiny", 5000, "lnbcrt50n1...", clock.instant(), clock.instant().plusSeconds(600), clock.instant().plusSeconds(4200), null);
        challenges.insert(c);
        assertThat(challenges.find(c.tokenId())).hasValue(c);
        assertThat(challenges.findByPaymentHash(c.paymentHash())).hasValue(c);
        assertThat(challenges.deleteCreatedBefore(clock.instant())).isZero();
        assertThat(challenges.deleteCreatedBefore(clock.instant().plusMillis(1))).isEqualTo(1);
        assertThat(challenges.find(c.tokenId())).isEmpty();
    }

    @Test
    void rootKeysPersistRotateAndRetire() {
        String first = keys.currentKeyId();
        assertThat(keys.currentKeyId()).isEqualTo(first);
        byte[] secret = keys.secret(first).orElseThrow();
        JdbcRootKeyStore reopened = new JdbcRootKeyStore(database, clock, random);
        assertThat(reopened.currentKeyId()).isEqualTo(first);
        assertThat(reopened.secret(first)).hasValueSatisfying(s -> assertThat(s).isEqualTo(secret));

        clock.advance(Duration.ofSeconds(1));
        String second = keys.rotate();
        assertThat(keys.currentKeyId()).isEqualTo(second);
        assertThat(keys.secret(first)).as("old keys keep verifying").isPresent();
        assertThat(keys.retire(first)).isTrue();
        assertThat(keys.secret(first)).isEmpty();
        assertThat(keys.list()).hasSize(2);
        assertThat(keys.list().get(0).active()).isFalse();
        assertThat(keys.retire(second)).isTrue();
        String third = keys.currentKeyId();
        assertThat(third).isNotIn(first, second);
    }
}
