package org.chroma402.server.jobs;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.chroma402.colorize.image.OutputFormat;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.pipeline.ColorizationPipeline;
import org.chroma402.colorize.pipeline.ColorizedPhoto;
import org.chroma402.l402.PaymentHash;
import org.chroma402.server.gate.ChallengeRecord;
import org.chroma402.server.gate.PaidBacklog;
import org.chroma402.server.metrics.ServerMetrics;
import org.chroma402.server.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns verified payments into results, once each, and never loses one.
 *
 * <ul>
 *   <li>One payment hash, one job: the database's unique key decides between processes, an
 *       in-memory future between threads, so concurrent redeems of one token compute once.</li>
 *   <li>The input is stored before the job row, so a job that exists can always be finished.</li>
 *   <li>A worker holds a lease that it renews while it runs. If the process dies, the lease runs
 *       out and the job is picked up again, by {@link #recover()} or by the client's retry.</li>
 *   <li>A failed job stays paid for: the same credential runs it again.</li>
 *   <li>Waiting jobs are taken in turn across payers ({@link RoundRobinQueue}), not first come
 *       first served, and each counts in the {@link PaidBacklog} until it ends, which is how the
 *       gate knows whether another invoice can be served soon.</li>
 * </ul>
 */
public final class JobService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    private static final Duration FOLLOW_INTERVAL = Duration.ofMillis(250);
    /**
     * Runs of one paid job (failed, or lost with their process) after which it is given up: a photo
     * that exhausts the server's memory would otherwise fail, or kill the process, on every retry
     * and every restart.
     */
    static final int MAX_ATTEMPTS = 3;
    /** The lane of jobs nobody redeemed in this process (resumed after a restart, or by a poll). */
    private static final String UNKNOWN_PAYER = "";

    private final JobStore store;
    private final BlobStore results;
    private final BlobStore inputs;
    private final ModelRegistry models;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration lease;
    private final Duration resultRetention;
    private final ServerMetrics metrics;
    private final String owner;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final Map<PaymentHash, CompletableFuture<Job>> inFlight = new ConcurrentHashMap<>();
    /** The payer each job of this process counts against, which is also its lane in {@link #waiting}. */
    private final Map<PaymentHash, String> payers = new ConcurrentHashMap<>();
    private final RoundRobinQueue waiting = new RoundRobinQueue();
    private final PaidBacklog backlog;
    private final AtomicInteger running = new AtomicInteger();
    private final MemoryBudget memory;
    private volatile boolean accepting = true;
    private ScheduledFuture<?> recovery;

    public JobService(JobStore store, BlobStore results, BlobStore inputs, ModelRegistry models, Clock clock,
            SecureRandom random, Duration lease, Duration resultRetention, int workerThreads, ServerMetrics metrics,
            PaidBacklog backlog) {
        this(store, results, inputs, models, clock, random, lease, resultRetention, workerThreads, metrics, backlog,
                MemoryBudget.ofMaxHeap());
    }

    /** @param memory the heap paid jobs may hold at once: a job waits until its estimate fits */
    public JobService(JobStore store, BlobStore results, BlobStore inputs, ModelRegistry models, Clock clock,
            SecureRandom random, Duration lease, Duration resultRetention, int workerThreads, ServerMetrics metrics,
            PaidBacklog backlog, MemoryBudget memory) {
        this.memory = memory;
        this.backlog = backlog;
        this.store = store;
        this.results = results;
        this.inputs = inputs;
        this.models = models;
        this.clock = clock;
        this.random = random;
        this.lease = lease;
        this.resultRetention = resultRetention;
        this.metrics = metrics;
        this.owner = randomHex(8);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workerThreads, r -> daemon(r, "job-worker-" + n.incrementAndGet()));
        this.scheduler = Executors.newScheduledThreadPool(1, r -> daemon(r, "job-scheduler"));
        metrics.gauge("chroma402_jobs_in_flight", "Paid jobs being colorized by this process", running::get);
        metrics.gauge("chroma402_jobs_waiting", "Paid jobs waiting for a worker of this process", waiting::size);
        metrics.gauge("chroma402_jobs_memory_reserved_bytes", "Heap held by the estimates of running paid jobs",
                memory::reserved);
    }

    /**
     * Starts the background work: a periodic pass that resumes paid jobs whose worker died. With
     * an embedded database no other process can hold a lease, so leases left by a previous run
     * are released at once.
     */
    public void start(boolean exclusiveDatabase) {
        if (exclusiveDatabase) {
            int released = store.releaseAllLeases(clock.instant());
            if (released > 0) {
                log.info("resuming {} paid job(s) interrupted by the last shutdown", released);
            }
        }
        recover();
        long period = Math.max(1000, lease.toMillis() / 2);
        recovery = scheduler.scheduleWithFixedDelay(this::recover, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * The job a verified payment buys: started now, or the one it already has.
     *
     * @param decoded the photo decoded from {@code imageBytes} already (by the unpaid check), or null
     * @param clientAddress who redeems: the job counts against the address its invoice was issued
     *     to, or this one when that is not known here
     */
    public Redemption redeem(ChallengeRecord challenge, byte[] imageBytes, RgbImage decoded, String clientAddress) {
        return redeem(challenge, imageBytes, decoded, clientAddress, null);
    }

    /**
     * {@link #redeem(ChallengeRecord, byte[], RgbImage, String)} for a request that chose a colour strength
     * ({@code saturationPercent} hundredths, null for 1), kept with the job so a resumed job renders it too.
     */
    public Redemption redeem(ChallengeRecord challenge, byte[] imageBytes, RgbImage decoded, String clientAddress,
            Integer saturationPercent) {
        Optional<Job> existing = store.findByPaymentHash(challenge.paymentHash());
        if (existing.isPresent()) {
            return new Redemption(existing.get().id(), resume(existing.get(), imageBytes, clientAddress));
        }
        CompletableFuture<Job> future = new CompletableFuture<>();
        CompletableFuture<Job> prior = inFlight.putIfAbsent(challenge.paymentHash(), future);
        if (prior != null) {
            // Another thread of this process is creating the job right now.
            Job job = awaitRow(challenge.paymentHash());
            return new Redemption(job.id(), prior);
        }
        future.whenComplete((j, e) -> inFlight.remove(challenge.paymentHash(), future));
        String id = randomHex(16);
        String inputName = "in-" + id;
        try {
            inputs.put(inputName, imageBytes);
        } catch (IOException e) {
            log.warn("could not store the input of a paid request: {}", e.getMessage());
            future.completeExceptionally(JobFailedException.storageUnavailable(id, "could not store the input"));
            return new Redemption(id, future);
        }
        Job job = Job.queued(id, challenge.paymentHash(), challenge.tokenId(), challenge.requestDigest(),
                challenge.model(), challenge.amountMsat(), inputName, clock.instant(), challenge.inputSize(),
                saturationPercent);
        if (!store.insert(job)) {
            // Another process redeemed the same payment first: follow its job.
            deleteQuietly(inputs, inputName);
            Job theirs = store.findByPaymentHash(challenge.paymentHash()).orElseThrow();
            inFlight.remove(challenge.paymentHash(), future);
            // Threads of this process that joined our attempt hold `future`: it follows their job too.
            resume(theirs, imageBytes, clientAddress).whenComplete((done, error) -> {
                if (error != null) {
                    future.completeExceptionally(error);
                } else {
                    future.complete(done);
                }
            });
            return new Redemption(theirs.id(), future);
        }
        metrics.paymentRedeemed(job.model(), job.amountMsat());
        log.info("payment {} redeemed for {}: job {}", short8(job.paymentHash()), job.model(), logId(id));
        track(job.paymentHash(), clientAddress, future);
        submit(job, imageBytes, decoded, future);
        return new Redemption(id, future);
    }

    /** The job already bought with this payment, if any. */
    public Optional<Job> existing(PaymentHash paymentHash) {
        return store.findByPaymentHash(paymentHash);
    }

    public Optional<Job> find(String jobId) {
        return store.findById(jobId);
    }

    /** Follows a job to its end, finishing it here if nobody is working on it. */
    public CompletableFuture<Job> await(Job job) {
        return resume(job, null, UNKNOWN_PAYER);
    }

    private CompletableFuture<Job> resume(Job job, byte[] imageBytes, String clientAddress) {
        if (job.state() == JobState.DONE) {
            return CompletableFuture.completedFuture(job);
        }
        CompletableFuture<Job> local = inFlight.get(job.paymentHash());
        if (local != null) {
            return local;
        }
        if (job.state() == JobState.FAILED && job.attempts() >= MAX_ATTEMPTS) {
            return CompletableFuture.failedFuture(abandoned(job));
        }
        Instant now = clock.instant();
        boolean heldElsewhere = job.state() == JobState.RUNNING && job.leaseUntil().isAfter(now);
        if (heldElsewhere || (job.state() == JobState.FAILED && imageBytes == null)) {
            CompletableFuture<Job> followed = new CompletableFuture<>();
            follow(job.id(), followed, imageBytes, job.state() == JobState.FAILED);
            return followed;
        }
        CompletableFuture<Job> future = new CompletableFuture<>();
        CompletableFuture<Job> prior = inFlight.putIfAbsent(job.paymentHash(), future);
        if (prior != null) {
            return prior;
        }
        future.whenComplete((j, e) -> inFlight.remove(job.paymentHash(), future));
        track(job.paymentHash(), clientAddress, future);
        submit(job, imageBytes, null, future);
        return future;
    }

    /** Counts a job of this process against its payer until its future completes. */
    private void track(PaymentHash paymentHash, String redeemedFrom, CompletableFuture<Job> future) {
        String payer = backlog.jobStarted(paymentHash, redeemedFrom);
        payers.put(paymentHash, payer);
        future.whenComplete((j, e) -> {
            payers.remove(paymentHash, payer);
            backlog.jobEnded(payer);
        });
    }

    private void submit(Job job, byte[] imageBytes, RgbImage decoded, CompletableFuture<Job> future) {
        // One pull per job added: whichever worker runs it takes the next job in turn, not this one.
        waiting.add(payers.getOrDefault(job.paymentHash(), UNKNOWN_PAYER), () -> run(job, imageBytes, decoded, future));
        workers.execute(() -> {
            Runnable next = waiting.next();
            if (next != null) {
                next.run();
            }
        });
    }

    private void run(Job job, byte[] imageBytes, RgbImage decoded, CompletableFuture<Job> future) {
        if (!accepting) {
            // Stopping: leave the job queued for the next start or another replica, unclaimed.
            future.completeExceptionally(JobFailedException.shuttingDown(job.id()));
            return;
        }
        Instant start = clock.instant();
        if (!store.claim(job.id(), owner, start, start.plus(lease))) {
            follow(job.id(), future, imageBytes, false);
            return;
        }
        int attempt = store.findById(job.id()).map(Job::attempts).orElse(1);
        if (attempt > MAX_ATTEMPTS) {
            // Every earlier attempt died with its process (it never got to record a failure).
            String error = "gave up after " + MAX_ATTEMPTS + " attempts that ended with their process";
            log.error("job {} ({}) abandoned: {}", logId(job.id()), job.model(), error);
            recordFailure(job, error);
            future.completeExceptionally(JobFailedException.abandoned(job.id(), error));
            return;
        }
        running.incrementAndGet();
        long renewEvery = Math.max(100, lease.toMillis() / 3);
        ScheduledFuture<?> heartbeat = scheduler.scheduleAtFixedRate(() -> {
            try {
                store.renewLease(job.id(), owner, clock.instant().plus(lease));
            } catch (RuntimeException e) {
                log.warn("could not renew the lease of job {}: {}", logId(job.id()), e.getMessage());
            }
        }, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        long t0 = System.nanoTime();
        long held = -1;
        try {
            byte[] bytes = imageBytes != null ? imageBytes : loadInput(job);
            ColorizationPipeline pipeline = models.pipeline(job.model()).orElseThrow(
                    () -> new JobFailedException(job.id(), "the " + job.model() + " model is not available on this server"));
            int size = job.inputSize() == null ? pipeline.defaultInputSize() : job.inputSize();
            // Big photos take turns rather than exhaust the heap together; the lease is kept while waiting.
            long pixels = decoded != null ? (long) decoded.width() * decoded.height() : pipeline.probe(bytes).pixels();
            held = memory.acquire(MemoryBudget.estimate(pixels, size, bytes.length));
            ColorizedPhoto colorized = decoded != null ? pipeline.colorize(decoded, bytes, OutputFormat.PNG, size, job.saturation())
                    : pipeline.colorize(bytes, OutputFormat.PNG, size, job.saturation());
            String resultName = newResultName() + ".png";
            results.put(resultName, colorized.bytes());
            Instant now = clock.instant();
            heartbeat.cancel(false);
            if (!store.markDone(job.id(), owner, resultName, colorized.width(), colorized.height(), now, now.plus(resultRetention))) {
                // Our lease was taken over (we were too slow); the other worker's result wins.
                deleteQuietly(results, resultName);
                follow(job.id(), future, null, false);
                return;
            }
            if (job.inputName() != null) {
                deleteQuietly(inputs, job.inputName());
                store.clearInput(job.id(), now);
            }
            metrics.modelLatency(job.model(), Duration.ofNanos(colorized.timings().inferenceNanos()),
                    Duration.ofNanos(System.nanoTime() - t0));
            future.complete(store.findById(job.id()).orElseThrow());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.completeExceptionally(JobFailedException.shuttingDown(job.id()));
        } catch (Throwable e) {
            // Throwable, not Exception: an OutOfMemoryError (a huge photo on a small heap) must end the
            // job too, or its future never completes, its client waits and recovery skips it forever.
            String message = e instanceof OutOfMemoryError
                    ? "the photo needs more memory than this server has free (out of memory)"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.error("job {} ({}) failed on attempt {} of {}: {}", logId(job.id()), job.model(), attempt, MAX_ATTEMPTS,
                    message, e);
            boolean storage = e instanceof java.io.IOException;
            boolean givenUp = attempt >= MAX_ATTEMPTS && !storage;
            recordFailure(job, givenUp ? "gave up after " + attempt + " attempts: " + message : message);
            metrics.jobFailed(job.model());
            // A store that failed (an IOException) will work again; the model's failures are the job's.
            future.completeExceptionally(storage
                    ? JobFailedException.storageUnavailable(job.id(), "could not store the result")
                    : givenUp ? JobFailedException.abandoned(job.id(), message)
                    : new JobFailedException(job.id(), message));
        } finally {
            if (held >= 0) {
                memory.release(held);
            }
            heartbeat.cancel(false);
            running.decrementAndGet();
        }
    }

    private void recordFailure(Job job, String error) {
        try {
            store.markFailed(job.id(), owner, error, clock.instant());
        } catch (RuntimeException stored) {
            log.warn("could not record the failure of job {}: {}", logId(job.id()), stored.getMessage());
        }
    }

    private static JobFailedException abandoned(Job job) {
        return JobFailedException.abandoned(job.id(), job.error() == null ? "gave up" : job.error());
    }

    /**
     * Watches a job that someone else holds until it ends. If its holder's lease runs out, the
     * job is taken over here (with the request's image if there is one).
     */
    private void follow(String jobId, CompletableFuture<Job> future, byte[] imageBytes, boolean retryFailed) {
        scheduler.schedule(() -> {
            try {
                Job job = store.findById(jobId).orElseThrow();
                Instant now = clock.instant();
                switch (job.state()) {
                    case DONE -> future.complete(job);
                    case FAILED -> {
                        if (job.attempts() >= MAX_ATTEMPTS) {
                            future.completeExceptionally(abandoned(job));
                        } else if (retryFailed && imageBytes != null) {
                            submit(job, imageBytes, null, future);
                        } else {
                            future.completeExceptionally(new JobFailedException(jobId, job.error()));
                        }
                    }
                    case RUNNING -> {
                        if (job.leaseUntil().isAfter(now)) {
                            follow(jobId, future, imageBytes, retryFailed);
                        } else {
                            submit(job, imageBytes, null, future);
                        }
                    }
                    case QUEUED -> submit(job, imageBytes, null, future);
                }
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }, FOLLOW_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Resumes paid jobs that nobody is working on (their worker died with its process). */
    public void recover() {
        try {
            for (Job job : store.findUnfinished(clock.instant(), 100)) {
                if (inFlight.containsKey(job.paymentHash())) {
                    continue;
                }
                CompletableFuture<Job> future = new CompletableFuture<>();
                if (inFlight.putIfAbsent(job.paymentHash(), future) != null) {
                    continue;
                }
                future.whenComplete((j, e) -> inFlight.remove(job.paymentHash(), future));
                log.info("resuming paid job {} ({})", logId(job.id()), job.model());
                track(job.paymentHash(), UNKNOWN_PAYER, future);
                submit(job, null, null, future);
            }
        } catch (RuntimeException e) {
            log.warn("recovery pass failed: {}", e.getMessage());
        }
    }

    private byte[] loadInput(Job job) throws IOException {
        if (job.inputName() == null) {
            throw new JobFailedException(job.id(), "the input of this job is gone; send the same request again");
        }
        return inputs.get(job.inputName()).orElseThrow(
                () -> new JobFailedException(job.id(), "the input of this job is gone; send the same request again"));
    }

    private Job awaitRow(PaymentHash paymentHash) {
        for (int i = 0; i < 200; i++) {
            Optional<Job> job = store.findByPaymentHash(paymentHash);
            if (job.isPresent()) {
                return job.get();
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("job for payment " + paymentHash.hex() + " did not appear");
    }

    private String newResultName() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void deleteQuietly(BlobStore store, String name) {
        try {
            store.delete(name);
        } catch (IOException | RuntimeException e) {
            log.warn("could not delete {}: {}", name, e.getMessage());
        }
    }

    /**
     * A job id as logs show it: its first 8 characters. The whole id is a bearer capability (the
     * poll URL), and logs are read by more people than the payer.
     */
    public static String logId(String jobId) {
        return jobId.length() <= 8 ? jobId : jobId.substring(0, 8) + "…";
    }

    private static String short8(PaymentHash hash) {
        return hash.hex().substring(0, 8);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public int running() {
        return running.get();
    }

    /** What a graceful stop did: jobs that finished while it waited, and jobs it handed back. */
    public record Drained(int finished, int handedBack) {
    }

    /**
     * Stops taking work and lets running jobs finish for up to {@code grace}; the ones still
     * running then are interrupted and their leases handed back, so another process (or the next
     * start) takes them over at once. Their clients retry with the same credential.
     */
    public Drained drain(Duration grace) {
        accepting = false;
        if (recovery != null) {
            recovery.cancel(false);
        }
        int before = running.get();
        workers.shutdown();
        try {
            workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = running.get();
        workers.shutdownNow();
        try {
            // Let the interrupted runs end (and stop renewing their leases) before handing them back.
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int handedBack = 0;
        try {
            handedBack = store.releaseLeases(owner, clock.instant());
        } catch (RuntimeException e) {
            log.warn("could not hand back the leases of {} job(s): {}; they resume when the lease runs out", left,
                    e.getMessage());
        }
        return new Drained(Math.max(0, before - left), handedBack);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        workers.shutdownNow();
    }
}
