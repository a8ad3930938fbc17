package org.chroma402.lightning.lnd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import org.chroma402.l402.Preimage;
import org.chroma402.lightning.CreatedInvoice;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.PayOptions;
import org.chroma402.lightning.testing.MutableClock;
import org.chroma402.lightning.testing.RemoteBackendContract;
import org.chroma402.lightning.testing.sim.BackendSimulator;
import org.chroma402.lightning.testing.sim.HttpSimulator;
import org.chroma402.lightning.testing.sim.LndSimulator;
import org.chroma402.lightning.testing.sim.SimulatedNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LndBackendTest extends RemoteBackendContract {
    private final MutableClock clock = MutableClock.startingNow();
    private LndSimulator simulator;
    private LndBackend backend;

    @BeforeEach
    void start() {
        simulator = new LndSimulator(new SimulatedNode(clock));
        simulator.start();
        backend = new LndBackend(config(HttpSimulator.certificate("node"), LndSimulator.MACAROON), clock);
    }

    private LndConfig config(String cert, String macaroon) {
        return new LndConfig(simulator.url(), cert, macaroon, TIMEOUT, 10, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Override
    protected InvoiceBackend backend() {
        return backend;
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected BackendSimulator simulator() {
        return simulator;
    }

    @Test
    void anotherCertificateThanThePinnedOneIsRefused() {
        LndBackend pinnedElsewhere = new LndBackend(config(HttpSimulator.certificate("other"), LndSimulator.MACAROON), clock);
        assertThatThrownBy(pinnedElsewhere::checkHealth).isInstanceOf(LightningException.class).hasMessageContaining("TLS");
    }

    @Test
    void aWrongMacaroonIsAClearErrorThatDoesNotLeakIt() {
        String wrong = "02" + "cd".repeat(40);
        LndBackend badMacaroon = new LndBackend(config(HttpSimulator.certificate("node"), wrong), clock);
        assertThatThrownBy(() -> badMacaroon.createInvoice(InvoiceRequest.withMemo(1000, "x", Duration.ofMinutes(1))))
                .isInstanceOf(LightningException.class).hasMessageContaining("401")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain(LndSimulator.MACAROON));
        assertThat(badMacaroon.toString()).doesNotContain(wrong);
    }

    @Test
    void aSettlementWithAPreimageThatDoesNotMatchIsNotBelieved() {
        CreatedInvoice created = backend.createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10)));
        simulator.lyingPreimage = Preimage.random(new java.security.SecureRandom());
        simulator.node.settle(created.paymentHash());
        assertThatThrownBy(() -> backend.lookupInvoice(created.paymentHash()))
                .isInstanceOf(LightningException.class).hasMessageContaining("does not match");
        SimulatedNode payee = new SimulatedNode(clock);
        SimulatedNode.Invoice other = payee.create(1000, "x", 600, null);
        assertThatThrownBy(() -> backend.pay(other.bolt11, PayOptions.DEFAULT))
                .isInstanceOf(LightningException.class).hasMessageContaining("does not match");
    }
}
