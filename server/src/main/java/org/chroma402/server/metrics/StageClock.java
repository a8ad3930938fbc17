package org.chroma402.server.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Times the steps of one request, each from the end of the one before ({@code lap("json")},
 * {@code lap("base64")}, …), and reports them once it is known they belong to the figure (a
 * paid request's parsing is not a challenge's). Not shared between threads.
 */
public final class StageClock {
    /** Where laps go: a Micrometer timer per step. */
    @FunctionalInterface
    public interface Sink {
        void record(String stage, long nanos);
    }

    private final List<String> stages = new ArrayList<>(8);
    private final List<Long> nanos = new ArrayList<>(8);
    private long last = System.nanoTime();

    /** Ends the current step, naming it, and starts the next. */
    public void lap(String stage) {
        long now = System.nanoTime();
        stages.add(stage);
        nanos.add(now - last);
        last = now;
    }

    /** Starts the next step now: the time since the last lap was measured elsewhere. */
    public void skip() {
        last = System.nanoTime();
    }

    /** Sends the laps so far to {@code sink}, and forgets them. */
    public void report(Sink sink) {
        for (int i = 0; i < stages.size(); i++) {
            sink.record(stages.get(i), nanos.get(i));
        }
        stages.clear();
        nanos.clear();
    }
}
