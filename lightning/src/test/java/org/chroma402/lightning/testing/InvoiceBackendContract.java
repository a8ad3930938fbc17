package org.chroma402.lightning.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.bolt11.Bolt11Invoice;
import org.chroma402.lightning.CreatedInvoice;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.InvoiceNotFoundException;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.lightning.InvoiceState;
import org.chroma402.lightning.SettlementWatcher;
import org.junit.jupiter.api.Test;

/**
 * What every {@link InvoiceBackend} must do, whatever node or wallet is behind it. Each backend's
 * test extends this with its own way to pay an invoice (the development node pays itself; the
 * real backends' simulators settle on request).
 */
public abstract class InvoiceBackendContract {

    /** The backend under test, fresh for each test. */
    protected abstract InvoiceBackend backend();

    /** Makes the invoice paid, as a payer would. */
    protected abstract void pay(CreatedInvoice invoice) throws Exception;

    /** Lets time pass (or makes the backend expire the invoice) so that it is past its expiry. */
    protected abstract void expire(CreatedInvoice invoice) throws Exception;

    protected Clock clock() {
        return Clock.systemUTC();
    }

    @Test
    void createsAnInvoiceForTheRequestedAmountAndExpiry() throws Exception {
        Instant before = clock().instant().minusSeconds(1);
        CreatedInvoice created = backend().createInvoice(InvoiceRequest.withMemo(5_000, "colorize one photo",
                Duration.ofMinutes(10)));
        Bolt11Invoice decoded = Bolt11Decoder.decodeUnverified(created.bolt11());
        assertThat(decoded.amountMsat()).hasValue(5_000);
        assertThat(decoded.paymentHash()).isEqualTo(created.paymentHash());
        assertThat(decoded.expirySeconds()).isEqualTo(600);
        assertThat(created.expiresAt()).isAfter(before.plusSeconds(590)).isBefore(before.plusSeconds(612));
    }

    @Test
    void aNewInvoiceIsOpen() {
        CreatedInvoice created = backend().createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10)));
        assertThat(backend().lookupInvoice(created.paymentHash())).isInstanceOf(InvoiceState.Open.class);
    }

    @Test
    void aPaidInvoiceReportsAPreimageThatMatches() throws Exception {
        CreatedInvoice created = backend().createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10)));
        pay(created);
        InvoiceState state = backend().lookupInvoice(created.paymentHash());
        assertThat(state).isInstanceOf(InvoiceState.Paid.class);
        assertThat(((InvoiceState.Paid) state).preimage().matches(created.paymentHash())).isTrue();
    }

    @Test
    void paymentIsSeenWithinSeconds() throws Exception {
        CreatedInvoice created = backend().createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10)));
        try (SettlementWatcher watcher = new SettlementWatcher(backend(), clock(), Duration.ofMillis(200),
                Duration.ofSeconds(30))) {
            CompletableFuture<InvoiceState> settled = watcher.await(created.paymentHash(), created.expiresAt());
            pay(created);
            assertThat(settled.get(5, TimeUnit.SECONDS)).isInstanceOf(InvoiceState.Paid.class);
        }
    }

    @Test
    void anUnpaidInvoicePastItsExpiryIsExpired() throws Exception {
        CreatedInvoice created = backend().createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofSeconds(2)));
        expire(created);
        assertThat(backend().lookupInvoice(created.paymentHash())).isInstanceOf(InvoiceState.Expired.class);
    }

    @Test
    void anUnknownPaymentHashIsNotFound() {
        assertThatThrownBy(() -> backend().lookupInvoice(PaymentHash.fromHex("42".repeat(32))))
                .isInstanceOf(InvoiceNotFoundException.class);
    }

    @Test
    void aHealthyBackendSaysSo() {
        backend().checkHealth();
    }
}
