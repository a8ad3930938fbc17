package org.chroma402.lightning.lnbits;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.PayOptions;
import org.chroma402.lightning.testing.MutableClock;
import org.chroma402.lightning.testing.RemoteBackendContract;
import org.chroma402.lightning.testing.sim.BackendSimulator;
import org.chroma402.lightning.testing.sim.LnbitsSimulator;
import org.chroma402.lightning.testing.sim.SimulatedNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LnbitsBackendTest extends RemoteBackendContract {
    private final MutableClock clock = MutableClock.startingNow();
    private LnbitsSimulator simulator;
    private LnbitsBackend backend;

    @BeforeEach
    void start() {
        simulator = LnbitsSimulator.create(new SimulatedNode(clock));
        simulator.start();
        backend = new LnbitsBackend(new LnbitsConfig(simulator.url(), LnbitsSimulator.INVOICE_KEY,
                LnbitsSimulator.ADMIN_KEY, TIMEOUT), clock);
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
    void payingWithoutTheAdminKeyIsRefusedClearly() {
        LnbitsBackend receiveOnly = new LnbitsBackend(new LnbitsConfig(simulator.url(), LnbitsSimulator.INVOICE_KEY,
                null, TIMEOUT), clock);
        assertThatThrownBy(() -> receiveOnly.pay("lnbcrt1", PayOptions.DEFAULT)).hasMessageContaining("admin-key");
    }

    @Test
    void aWrongKeyIsRefused() {
        LnbitsBackend wrong = new LnbitsBackend(new LnbitsConfig(simulator.url(), "nope", null, TIMEOUT), clock);
        assertThatThrownBy(() -> wrong.createInvoice(InvoiceRequest.withMemo(1000, "x", Duration.ofMinutes(1))))
                .isInstanceOf(LightningException.class).hasMessageContaining("401");
    }
}
