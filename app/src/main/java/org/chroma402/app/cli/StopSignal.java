package org.chroma402.app.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (systemd, Docker, Ctrl-C) as a request for a long-running command to stop,
 * which its own thread then carries out before the JVM begins to shut down.
 *
 * <p>Why not a shutdown hook: once the JVM shuts down, every hook runs at once and in no order, and
 * ONNX Runtime registers one that frees its native environment. A hook that waits for a running
 * model (the shutdown grace) loses that race: the model run crashes the JVM (SIGSEGV, exit 134),
 * nothing after it is logged, and the job is left for the next start. Handling the signals
 * ourselves keeps the JVM alive until the command has stopped; it then exits 0 through
 * {@code System.exit}, and the hooks find nothing running.
 *
 * <p>Limits: a JVM started with {@code -Xrs} keeps its own handling, and so do other signals
 * (SIGHUP, SIGQUIT); the command's shutdown hook remains the fallback for those.
 */
public final class StopSignal {
    private static final Logger log = LoggerFactory.getLogger(StopSignal.class);
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicReference<String> by = new AtomicReference<>();

    private StopSignal() {
    }

    /** Takes over SIGTERM and SIGINT for this process; call it once the command has something to stop. */
    public static StopSignal install() {
        StopSignal stop = new StopSignal();
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), signal -> stop.request("SIG" + signal.getName()));
            } catch (IllegalArgumentException reserved) {
                log.debug("SIG{} is handled by the JVM here (-Xrs?): a stop on it runs the shutdown hook", name);
            }
        }
        return stop;
    }

    /** Asks for the stop, as a signal does; later requests are only logged (the stop is under way). */
    void request(String reason) {
        if (by.compareAndSet(null, reason)) {
            requested.countDown();
        } else {
            log.info("{}: already stopping (kill -KILL ends it at once; the next start resumes what was running)", reason);
        }
    }

    /** Blocks until a stop is requested; returns what asked for it ({@code SIGTERM}, {@code SIGINT}). */
    public String await() throws InterruptedException {
        requested.await();
        return by.get();
    }
}
