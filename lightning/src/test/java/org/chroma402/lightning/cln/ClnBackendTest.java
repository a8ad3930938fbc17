package org.chroma402.lightning.cln;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.testing.MutableClock;
import org.chroma402.lightning.testing.RemoteBackendContract;
import org.chroma402.lightning.testing.sim.BackendSimulator;
import org.chroma402.lightning.testing.sim.ClnSimulator;
import org.chroma402.lightning.testing.sim.SimulatedNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClnBackendTest extends RemoteBackendContract {
    private final MutableClock clock = MutableClock.startingNow();
    private ClnSimulator simulator;
    private ClnBackend backend;

    @BeforeEach
    void start() {
        simulator = new ClnSimulator(new SimulatedNode(clock));
        simulator.start();
        backend = new ClnBackend(new ClnConfig(simulator.url(), ClnSimulator.RUNE, null, TIMEOUT), clock);
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
    void aWrongRuneIsRefused() {
        ClnBackend wrong = new ClnBackend(new ClnConfig(simulator.url(), "not-the-rune", null, TIMEOUT), clock);
        assertThatThrownBy(() -> wrong.createInvoice(InvoiceRequest.withMemo(1000, "x", Duration.ofMinutes(1))))
                .isInstanceOf(LightningException.class).hasMessageContaining("401");
    }
}
