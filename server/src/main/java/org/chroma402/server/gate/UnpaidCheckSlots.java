package org.chroma402.server.gate;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The few slots in which unpaid photos are checked, shared fairly between client addresses: one
 * address holds at most half of them (at least one) and waits for its own checks, not in the
 * shared line, for more. Without the share, one address sending expensive photos within its rate
 * limit kept every slot busy and most other customers' challenges timed out into {@code 503}.
 *
 * <p>The shared line is first come, first served, and holds at most one share per address, so
 * another address waits for at most one check per address ahead of it.
 */
final class UnpaidCheckSlots {
    private final Semaphore slots;
    private final int perAddress;
    /** Checks each address is running or waiting for in the shared line; absent when none. */
    private final Map<String, Integer> holding = new HashMap<>();

    UnpaidCheckSlots(int slots) {
        this.slots = new Semaphore(slots, true);
        this.perAddress = Math.max(1, slots / 2);
    }

    /** Takes a slot for {@code address} within {@code timeoutMillis}; false if none came in time. */
    boolean acquire(String address, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (this) {
            while (holding.getOrDefault(address, 0) >= perAddress) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
            holding.merge(address, 1, Integer::sum);
        }
        boolean acquired = false;
        try {
            acquired = slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return acquired;
        } finally {
            if (!acquired) {
                leave(address);
            }
        }
    }

    /** Gives back a slot taken by {@link #acquire}. */
    void release(String address) {
        slots.release();
        leave(address);
    }

    private synchronized void leave(String address) {
        holding.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
        notifyAll();
    }
}
