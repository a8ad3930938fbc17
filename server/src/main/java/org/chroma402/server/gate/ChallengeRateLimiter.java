package org.chroma402.server.gate;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits how many challenges one client address can make us mint, since every 402 costs an
 * invoice: a token bucket per address, refilled at {@code perMinute} with room for
 * {@code burst}. Idle buckets are dropped.
 */
public final class ChallengeRateLimiter {
    private final Clock clock;
    private final double perMilli;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

    private static final class Bucket {
        double tokens;
        long updatedAt;

        Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }
    }

    public ChallengeRateLimiter(Clock clock, int perMinute, int burst) {
        this.clock = clock;
        this.perMilli = perMinute / 60_000.0;
        this.burst = burst;
    }

    /** Takes one token for {@code client}; returns 0 if allowed, else seconds until the next one. */
    public long acquire(String client) {
        if (calls.incrementAndGet() % 4096 == 0) {
            prune();
        }
        long now = clock.millis();
        Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedAt) * perMilli);
            bucket.updatedAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perMilli / 1000.0));
        }
    }

    /**
     * Seconds until {@code client} may have a challenge, without taking one: 0 when it may now.
     * Lets the API refuse a client over its limit before reading the request body.
     */
    public long retryAfter(String client) {
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            return 0;
        }
        synchronized (bucket) {
            double tokens = Math.min(burst, bucket.tokens + (clock.millis() - bucket.updatedAt) * perMilli);
            return tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / perMilli / 1000.0));
        }
    }

    /** Drops buckets that have been full for a while; runs every few thousand calls. */
    public void prune() {
        long now = clock.millis();
        long fullAfter = (long) (burst / perMilli);
        buckets.entrySet().removeIf(e -> now - e.getValue().updatedAt > fullAfter + 60_000);
    }

    int size() {
        return buckets.size();
    }
}
