package org.chroma402.lightning.nwc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.LightningTimeoutException;
import org.chroma402.lightning.testing.MutableClock;
import org.chroma402.lightning.testing.RemoteBackendContract;
import org.chroma402.lightning.testing.sim.BackendSimulator;
import org.chroma402.lightning.testing.sim.NwcWalletSimulator;
import org.chroma402.lightning.testing.sim.NwcWalletSimulator.Encryption;
import org.chroma402.lightning.testing.sim.SimulatedNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The NWC backend against a wallet service on a loopback Nostr relay, with NIP-44 and with NIP-04 only. */
class NwcBackendTest {

    abstract static class Against extends RemoteBackendContract {
        final MutableClock clock = MutableClock.startingNow();
        NwcWalletSimulator wallet;
        NwcBackend backend;

        abstract Encryption encryption();

        @BeforeEach
        void start() {
            wallet = NwcWalletSimulator.start(new SimulatedNode(clock), encryption());
            backend = new NwcBackend(NwcConfig.of(wallet.connectionUri(), TIMEOUT), clock);
        }

        @AfterEach
        void stop() {
            backend.close();
            wallet.close();
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
            return wallet;
        }
    }

    @Nested
    class Nip44Wallet extends Against {
        @Override
        Encryption encryption() {
            return Encryption.NIP44;
        }

        @Test
        void requestsAreEncryptedWithNip44WhenTheWalletAnnouncesIt() {
            backend.createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10)));
            assertThat(wallet.requestEncryptions).containsOnly("nip44_v2");
            assertThat(wallet.relay.received()).allSatisfy(event -> assertThat(event).doesNotContain("?iv="));
        }

        @Test
        void requestsCarryAnExpirationSoALateWalletDropsThem() {
            backend.createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10)));
            assertThat(wallet.relay.received()).anySatisfy(event -> assertThat(event).contains("\"expiration\""));
        }

        @Test
        void aConnectionTheWalletDoesNotKnowGetsNoAnswer() {
            String stranger = wallet.connectionUri().replaceFirst("secret=[0-9a-f]{64}", "secret=" + "11".repeat(32));
            try (NwcBackend unknown = new NwcBackend(NwcConfig.of(stranger, TIMEOUT), clock)) {
                assertThatThrownBy(() -> unknown.createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10))))
                        .isInstanceOf(LightningTimeoutException.class).hasMessageContaining("did not answer make_invoice");
            }
        }

        @Test
        void theSecretNeverAppearsInMessages() {
            String secret = wallet.connectionUri().replaceFirst(".*secret=([0-9a-f]{64}).*", "$1");
            assertThat(NwcConfig.of(wallet.connectionUri(), TIMEOUT).toString()).doesNotContain(secret);
            wallet.close();
            assertThatThrownBy(() -> backend.createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10))))
                    .isInstanceOf(LightningException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
        }

        @Test
        void aWalletErrorIsReportedWithItsCode() {
            wallet.faults.failNext.set(1);
            assertThatThrownBy(() -> backend.createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10))))
                    .isInstanceOf(LightningException.class).hasMessageContaining("INTERNAL");
        }
    }

    @Nested
    class Nip04OnlyWallet extends Against {
        @Override
        Encryption encryption() {
            return Encryption.NIP04_ONLY;
        }

        @Test
        void fallsBackToNip04WhenTheWalletDoesNotAnnounceNip44() {
            backend.createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10)));
            assertThat(wallet.requestEncryptions).containsOnly("nip04");
            assertThat(wallet.relay.received()).allSatisfy(event -> assertThat(event).contains("?iv="));
        }
    }
}
