package org.chroma402.client;

/**
 * How many sats a run may spend in all. Prices are reserved before paying and released when
 * a payment fails, so parallel purchases never overshoot the limit together.
 */
public final class Budget {
    private final long limitSat;
    private long reservedSat;

    private Budget(long limitSat) {
        this.limitSat = limitSat;
    }

    public static Budget of(long limitSat) {
        if (limitSat < 0) {
            throw new IllegalArgumentException("a budget is not negative");
        }
        return new Budget(limitSat);
    }

    public static Budget unlimited() {
        return new Budget(Long.MAX_VALUE);
    }

    /** Reserves {@code sat}; false (and nothing reserved) if that would pass the limit. */
    public synchronized boolean tryReserve(long sat) {
        if (sat < 0 || sat > limitSat - reservedSat) {
            return false;
        }
        reservedSat += sat;
        return true;
    }

    public synchronized void release(long sat) {
        reservedSat = Math.max(0, reservedSat - sat);
    }

    public synchronized long spentSat() {
        return reservedSat;
    }

    public long limitSat() {
        return limitSat;
    }
}
