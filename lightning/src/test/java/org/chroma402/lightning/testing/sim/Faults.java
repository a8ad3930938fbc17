package org.chroma402.lightning.testing.sim;

import java.util.concurrent.atomic.AtomicInteger;

/** What a simulator does wrong, on request: answer slowly, fail, or send garbage. */
public final class Faults {
    public volatile long delayMillis;
    public final AtomicInteger failNext = new AtomicInteger();
    public final AtomicInteger malformedNext = new AtomicInteger();
    public volatile int failStatus = 500;

    public void reset() {
        delayMillis = 0;
        failNext.set(0);
        malformedNext.set(0);
    }
}
