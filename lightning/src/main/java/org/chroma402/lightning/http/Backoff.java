package org.chroma402.lightning.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Doubling delays between retries, capped, with jitter so that many clients dropped at once
 * (a node restart, a relay hiccup) do not all come back in the same millisecond.
 *
 * <p>Each delay is drawn from the upper half of the current step, {@code [step/2, step]}, then
 * the step doubles up to {@code max}. When to {@link #reset()} is the caller's rule: after a
 * successful connect, after a reply, and so on. Not thread-safe: one loop owns one instance.
 *
 * <p>Written here rather than taken from Failsafe or Resilience4j: the loops that use it run
 * until closed and reset on their own events, which those libraries' retry policies (a bounded
 * number of attempts around one call) do not model; the delay arithmetic is all they share.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private long stepMillis;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < initial <= max");
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.stepMillis = initialMillis;
    }

    /** The delay before the next attempt; each call doubles the one after, up to the maximum. */
    public long nextDelayMillis() {
        long step = stepMillis;
        stepMillis = Math.min(maxMillis, step * 2);
        long half = step / 2;
        return half + ThreadLocalRandom.current().nextLong(step - half + 1);
    }

    /** Waits {@link #nextDelayMillis()}. */
    public void pause() throws InterruptedException {
        Thread.sleep(nextDelayMillis());
    }

    /** Back to the first, shortest delay. */
    public void reset() {
        stepMillis = initialMillis;
    }

    /** The step the next delay is drawn from (its upper bound), for logs. */
    public long currentStepMillis() {
        return stepMillis;
    }
}
