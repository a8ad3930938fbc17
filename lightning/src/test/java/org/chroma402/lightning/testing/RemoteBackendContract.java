package org.chroma402.lightning.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.chroma402.lightning.CreatedInvoice;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.lightning.InvoiceState;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.LightningTimeoutException;
import org.chroma402.lightning.PayOptions;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.lightning.PaymentResult;
import org.chroma402.lightning.SettlementStream;
import org.chroma402.lightning.SettlementWatcher;
import org.chroma402.lightning.testing.sim.BackendSimulator;
import org.chroma402.lightning.testing.sim.Faults;
import org.chroma402.lightning.testing.sim.SimulatedNode;
import org.junit.jupiter.api.Test;

/**
 * The contract of a backend that talks to a real node or wallet, run against a loopback simulator
 * of its API: everything {@link InvoiceBackendContract} asks, plus slow, failing, garbled and
 * dropped connections, and paying.
 */
public abstract class RemoteBackendContract extends InvoiceBackendContract {
    /** The backend's timeout, short for tests. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** The simulator the backend under test talks to. */
    protected abstract BackendSimulator simulator();

    protected final Faults faults() {
        return simulator().faults();
    }

    protected final SimulatedNode node() {
        return simulator().node();
    }

    @Override
    protected void pay(CreatedInvoice invoice) {
        node().settle(invoice.paymentHash());
    }

    @Override
    protected void expire(CreatedInvoice invoice) throws Exception {
        ((MutableClock) clock()).advance(Duration.ofSeconds(3));
    }

    @Test
    void aSlowNodeTimesOut() {
        faults().delayMillis = TIMEOUT.toMillis() + 1500;
        assertThatThrownBy(() -> backend().createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10))))
                .isInstanceOf(LightningTimeoutException.class);
    }

    @Test
    void aFailingNodeIsAClearError() {
        faults().failNext.set(1);
        assertThatThrownBy(() -> backend().createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10))))
                .isInstanceOf(LightningException.class).hasMessageContaining("failed");
    }

    @Test
    void aGarbledReplyIsAClearError() {
        faults().malformedNext.set(1);
        assertThatThrownBy(() -> backend().createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10))))
                .isInstanceOf(LightningException.class);
    }

    @Test
    void aNodeThatIsDownIsAClearErrorEverywhere() {
        simulator().close();
        assertThatThrownBy(() -> backend().checkHealth()).isInstanceOf(LightningException.class);
        assertThatThrownBy(() -> backend().createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10))))
                .isInstanceOf(LightningException.class);
    }

    @Test
    void settlementsAreStillSeenAfterADroppedConnection() throws Exception {
        if (!(backend() instanceof SettlementStream)) {
            return;
        }
        try (SettlementWatcher watcher = new SettlementWatcher(backend(), clock(), Duration.ofMinutes(5),
                Duration.ofMinutes(5))) {
            CreatedInvoice first = backend().createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10)));
            CompletableFuture<InvoiceState> firstSettled = watcher.await(first.paymentHash(), first.expiresAt());
            Thread.sleep(300);
            node().settle(first.paymentHash());
            assertThat(firstSettled.get(5, TimeUnit.SECONDS)).isInstanceOf(InvoiceState.Paid.class);
            simulator().dropConnections();
            CreatedInvoice second = backend().createInvoice(InvoiceRequest.withMemo(5_000, "y", Duration.ofMinutes(10)));
            CompletableFuture<InvoiceState> secondSettled = watcher.await(second.paymentHash(), second.expiresAt());
            node().settle(second.paymentHash());
            // Polling is set to minutes: only the reconnected push can deliver this in time.
            assertThat(secondSettled.get(10, TimeUnit.SECONDS)).isInstanceOf(InvoiceState.Paid.class);
        }
    }

    @Test
    void paysAnInvoiceAndReturnsThePreimage() {
        if (!(backend() instanceof PaymentBackend payer)) {
            return;
        }
        SimulatedNode payee = new SimulatedNode(clock());
        SimulatedNode.Invoice invoice = payee.create(10_000, "coffee", 600, null);
        PaymentResult result = payer.pay(invoice.bolt11, PayOptions.DEFAULT);
        assertThat(result.preimage()).isEqualTo(invoice.preimage);
        assertThat(payee.find(invoice.hash).orElseThrow().settled()).isTrue();
    }

    @Test
    void aFailedPaymentIsAClearError() {
        if (!(backend() instanceof PaymentBackend payer)) {
            return;
        }
        SimulatedNode payee = new SimulatedNode(clock());
        SimulatedNode.Invoice invoice = payee.create(10_000, "coffee", 1, null);
        ((MutableClock) clock()).advance(Duration.ofSeconds(5));
        assertThatThrownBy(() -> payer.pay(invoice.bolt11, PayOptions.DEFAULT)).isInstanceOf(LightningException.class);
    }
}
