package org.chroma402.lightning;

import java.time.Duration;

/** Limits for one payment: how long to try and how much to spend on fees. */
public record PayOptions(Duration timeout, long maxFeeMsat) {
    public static final PayOptions DEFAULT = new PayOptions(Duration.ofSeconds(60), 10_000);

    public PayOptions {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("payment timeout must be positive");
        }
        if (maxFeeMsat < 0) {
            throw new IllegalArgumentException("fee limit must not be negative");
        }
    }
}
