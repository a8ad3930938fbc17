package org.chroma402.lightning;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.chroma402.l402.PaymentHash;

/**
 * The listeners of one {@link SettlementStream} and the push connection that feeds them: the
 * connection opens when the first listener subscribes, closes when the last one leaves, and opens
 * afresh if another comes. Backends hand each checked settlement to {@link #settled}.
 */
public final class SettlementListeners {
    private final Supplier<AutoCloseable> connect;
    private final List<SettlementListener> listeners = new CopyOnWriteArrayList<>();
    private AutoCloseable connection;

    /** {@code connect} opens the push connection (a stream, a long poll, a websocket). */
    public SettlementListeners(Supplier<AutoCloseable> connect) {
        this.connect = connect;
    }

    /** For backends that learn of settlements in process and need no connection of their own. */
    public static SettlementListeners inProcess() {
        return new SettlementListeners(() -> () -> { });
    }

    /** What {@link SettlementStream#subscribe} returns: a handle that removes the listener. */
    public synchronized AutoCloseable add(SettlementListener listener) {
        listeners.add(listener);
        if (connection == null) {
            connection = connect.get();
        }
        return () -> remove(listener);
    }

    private synchronized void remove(SettlementListener listener) {
        if (listeners.remove(listener) && listeners.isEmpty() && connection != null) {
            try {
                connection.close();
            } catch (Exception e) {
                // Closing only stops pushes nobody listens to any more.
            }
            connection = null;
        }
    }

    /** Tells every listener; the state's preimage has been checked by {@link InvoiceState#paid}. */
    public void settled(PaymentHash paymentHash, InvoiceState.Paid paid) {
        for (SettlementListener listener : listeners) {
            listener.onSettled(paymentHash, paid);
        }
    }

    /** Tells every listener that the push connection (re)opened; see {@link SettlementListener#onReconnected}. */
    public void reconnected() {
        for (SettlementListener listener : listeners) {
            listener.onReconnected();
        }
    }

    /**
     * A connection that is a loop on a daemon thread, for streams and long polls: the loop runs
     * until the returned handle is closed, which it learns from {@code closed} (and an interrupt).
     */
    public static AutoCloseable loopOnThread(String name, Consumer<BooleanSupplier> loop) {
        AtomicBoolean closed = new AtomicBoolean();
        Thread thread = new Thread(() -> loop.accept(closed::get), name);
        thread.setDaemon(true);
        thread.start();
        return () -> {
            closed.set(true);
            thread.interrupt();
        };
    }
}
