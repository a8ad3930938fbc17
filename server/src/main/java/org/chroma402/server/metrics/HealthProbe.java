package org.chroma402.server.metrics;

/**
 * A dependency's health, checked now and then (not on every scrape: a check may take as long as
 * the dependency's timeout) and kept for an "up" gauge.
 */
public final class HealthProbe implements Runnable {
    private final Runnable check;
    private volatile boolean up;

    /** @param check returns if the dependency is healthy, throws if not */
    public HealthProbe(Runnable check) {
        this.check = check;
    }

    @Override
    public void run() {
        try {
            check.run();
            up = true;
        } catch (RuntimeException e) {
            up = false;
        }
    }

    public boolean isUp() {
        return up;
    }
}
