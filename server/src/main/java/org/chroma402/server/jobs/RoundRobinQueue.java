package org.chroma402.server.jobs;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Paid jobs waiting for a worker, taken in turn across payers rather than in arrival order: the
 * next job comes from the payer served least recently (a payer new to the queue first), so one
 * payer's backlog of twenty large photos delays another payer's job by the jobs already running,
 * not by the backlog. Within a payer, jobs keep their order.
 *
 * <p>A payer whose lane empties keeps its place in the turns (its next job, queued a moment
 * later, must not count as a newcomer's), until {@value #MAX_IDLE_LANES} lanes are empty and all
 * of them are forgotten. Payers with jobs are few (the queue is bounded by
 * {@link org.chroma402.server.gate.PaidBacklog}), so picking the next one scans them all.
 */
final class RoundRobinQueue {
    private static final class Lane {
        final ArrayDeque<Runnable> jobs = new ArrayDeque<>();
        long lastServed;
    }

    private static final int MAX_IDLE_LANES = 256;

    private final Map<String, Lane> lanes = new HashMap<>();
    private int idleLanes;
    private long turn;
    private long arrivals;
    private int size;

    synchronized void add(String payer, Runnable job) {
        // A new lane goes before every lane served already, and after the new ones before it.
        Lane lane = lanes.computeIfAbsent(payer, k -> {
            Lane fresh = new Lane();
            fresh.lastServed = Long.MIN_VALUE + ++arrivals;
            idleLanes++;
            return fresh;
        });
        if (lane.jobs.isEmpty()) {
            idleLanes--;
        }
        lane.jobs.add(job);
        size++;
    }

    /** The next job in turn, or null when none waits. */
    synchronized Runnable next() {
        Map.Entry<String, Lane> pick = null;
        for (Map.Entry<String, Lane> e : lanes.entrySet()) {
            if (!e.getValue().jobs.isEmpty() && (pick == null || e.getValue().lastServed < pick.getValue().lastServed)) {
                pick = e;
            }
        }
        if (pick == null) {
            return null;
        }
        Lane lane = pick.getValue();
        lane.lastServed = ++turn;
        Runnable job = lane.jobs.poll();
        if (lane.jobs.isEmpty() && ++idleLanes > MAX_IDLE_LANES) {
            lanes.values().removeIf(l -> l.jobs.isEmpty());
            idleLanes = 0;
        }
        size--;
        return job;
    }

    synchronized int size() {
        return size;
    }
}
