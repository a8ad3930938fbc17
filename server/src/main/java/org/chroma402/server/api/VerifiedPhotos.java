package org.chroma402.server.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The photos (by SHA-256 of their bytes) that passed the unpaid decode check lately, so the same
 * bytes are not decoded again when they come back for another challenge: a client that asked for
 * a quote first, a retry after an expired invoice, the other model size. Bounded in entries and
 * age; identical bytes decode identically, so skipping the check is sound.
 */
final class VerifiedPhotos {
    private final int capacity;
    private final Duration maxAge;
    private final Clock clock;
    private final Map<String, Instant> seen;

    VerifiedPhotos(int capacity, Duration maxAge, Clock clock) {
        this.capacity = capacity;
        this.maxAge = maxAge;
        this.clock = clock;
        this.seen = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                return size() > VerifiedPhotos.this.capacity;
            }
        };
    }

    synchronized boolean contains(String imageSha256) {
        Instant at = seen.get(imageSha256);
        if (at == null) {
            return false;
        }
        if (at.plus(maxAge).isBefore(clock.instant())) {
            seen.remove(imageSha256);
            return false;
        }
        return true;
    }

    synchronized void add(String imageSha256) {
        seen.put(imageSha256, clock.instant());
    }
}
