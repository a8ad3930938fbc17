package org.chroma402.lightning;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.chroma402.l402.PaymentHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells waiters when the invoices they care about are paid or can no longer be.
 *
 * <p>Uses the backend's {@link SettlementStream} when it has one, and polls
 * {@link InvoiceBackend#lookupInvoice} for the invoices being waited on in any case: often when
 * there is no stream, rarely as a safety net when there is one. Only invoices someone waits for
 * are polled.
 */
public final class SettlementWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SettlementWatcher.class);

    private final InvoiceBackend backend;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Map<PaymentHash, Watch> watches = new ConcurrentHashMap<>();
    private final AutoCloseable subscription;

    private record Watch(CompletableFuture<InvoiceState> future, Instant expiresAt) {
    }

    public SettlementWatcher(InvoiceBackend backend, Clock clock, Duration pollInterval, Duration streamPollInterval) {
        this.backend = backend;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "settlement-watcher");
            t.setDaemon(true);
            return t;
        });
        AutoCloseable subscribed = null;
        Duration interval = pollInterval;
        if (backend instanceof SettlementStream stream) {
            subscribed = stream.subscribe(new SettlementListener() {
                @Override
                public void onSettled(PaymentHash paymentHash, InvoiceState.Paid paid) {
                    settled(paymentHash, paid);
                }

                @Override
                public void onReconnected() {
                    scheduler.execute(SettlementWatcher.this::pollAll);
                }
            });
            interval = streamPollInterval;
        }
        this.subscription = subscribed;
        long millis = Math.max(50, interval.toMillis());
        scheduler.scheduleWithFixedDelay(this::pollAll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Completes with {@link InvoiceState.Paid}, or with {@link InvoiceState.Expired} or
     * {@link InvoiceState.Cancelled} once the invoice can no longer be paid. Completes at once if
     * the backend already knows the outcome.
     */
    public CompletableFuture<InvoiceState> await(PaymentHash paymentHash, Instant expiresAt) {
        Watch watch = watches.computeIfAbsent(paymentHash, h -> new Watch(new CompletableFuture<>(), expiresAt));
        watch.future.whenComplete((state, error) -> watches.remove(paymentHash, watch));
        scheduler.execute(() -> poll(paymentHash, watch));
        return watch.future;
    }

    private void settled(PaymentHash paymentHash, InvoiceState.Paid paid) {
        Watch watch = watches.get(paymentHash);
        if (watch != null) {
            watch.future.complete(paid);
        }
    }

    private void pollAll() {
        for (Map.Entry<PaymentHash, Watch> entry : watches.entrySet()) {
            poll(entry.getKey(), entry.getValue());
        }
    }

    private void poll(PaymentHash paymentHash, Watch watch) {
        if (watch.future.isDone()) {
            return;
        }
        try {
            InvoiceState state = backend.lookupInvoice(paymentHash);
            if (state.isFinal()) {
                watch.future.complete(state);
            } else if (clock.instant().isAfter(watch.expiresAt.plusSeconds(5))) {
                // A backend that never flips expired invoices must not keep waiters forever.
                watch.future.complete(new InvoiceState.Expired());
            }
        } catch (InvoiceNotFoundException e) {
            watch.future.complete(new InvoiceState.Cancelled());
        } catch (LightningException e) {
            log.debug("lookup of {} failed, will retry: {}", paymentHash.hex(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("unexpected error while polling invoice {}", paymentHash.hex(), e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.debug("closing the settlement subscription failed", e);
            }
        }
        watches.values().forEach(w -> w.future.cancel(false));
    }
}
