package org.chroma402.lightning.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.chroma402.l402.Preimage;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.bolt11.Bolt11Encoder;
import org.chroma402.l402.bolt11.Network;
import org.chroma402.l402.bolt11.NodeKey;
import org.chroma402.l402.bolt11.UnsignedInvoice;
import org.chroma402.lightning.CreatedInvoice;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.lightning.InvoiceState;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.PayOptions;
import org.chroma402.lightning.PaymentResult;
import org.chroma402.lightning.testing.InvoiceBackendContract;
import org.chroma402.lightning.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevNodeBackendTest extends InvoiceBackendContract {
    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.startingNow();
    private DevNodeBackend node;

    @BeforeEach
    void start() {
        node = new DevNodeBackend(dir, clock, new SecureRandom());
    }

    @Override
    protected InvoiceBackend backend() {
        return node;
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected void pay(CreatedInvoice invoice) {
        node.pay(invoice.bolt11(), PayOptions.DEFAULT);
    }

    @Override
    protected void expire(CreatedInvoice invoice) {
        clock.advance(Duration.ofSeconds(3));
    }

    @Test
    void invoicesAreRealSignedRegtestInvoices() throws Exception {
        CreatedInvoice created = node.createInvoice(InvoiceRequest.withMemo(5_000, "memo", Duration.ofMinutes(10)));
        assertThat(created.bolt11()).startsWith("lnbcrt50n1");
        assertThat(Bolt11Decoder.decode(created.bolt11()).payeePubkey().map(java.util.HexFormat.of()::formatHex))
                .hasValue(node.nodeId());
    }

    @Test
    void payingReturnsThePreimageOnceAndAgainOnRetry() {
        CreatedInvoice created = node.createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10)));
        PaymentResult first = node.pay(created.bolt11(), PayOptions.DEFAULT);
        PaymentResult second = node.pay(created.bolt11(), PayOptions.DEFAULT);
        assertThat(first.preimage().matches(created.paymentHash())).isTrue();
        assertThat(second.preimage()).isEqualTo(first.preimage());
    }

    @Test
    void stateAndKeySurviveARestart() throws Exception {
        CreatedInvoice paid = node.createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10)));
        CreatedInvoice open = node.createInvoice(InvoiceRequest.withMemo(5_000, "y", Duration.ofMinutes(10)));
        Preimage preimage = node.pay(paid.bolt11(), PayOptions.DEFAULT).preimage();

        DevNodeBackend restarted = new DevNodeBackend(dir, clock, new SecureRandom());
        assertThat(restarted.nodeId()).isEqualTo(node.nodeId());
        assertThat(restarted.lookupInvoice(paid.paymentHash()))
                .isEqualTo(new InvoiceState.Paid(preimage, 5_000, clock.instant()));
        assertThat(restarted.lookupInvoice(open.paymentHash())).isInstanceOf(InvoiceState.Open.class);
        assertThat(restarted.pay(open.bolt11(), PayOptions.DEFAULT).preimage().matches(open.paymentHash())).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void refusesToPayAnExpiredInvoice() {
        CreatedInvoice created = node.createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofSeconds(60)));
        clock.advance(Duration.ofSeconds(60));
        assertThatThrownBy(() -> node.pay(created.bolt11(), PayOptions.DEFAULT))
                .isInstanceOf(LightningException.class).hasMessageContaining("expired");
        assertThat(node.lookupInvoice(created.paymentHash())).isInstanceOf(InvoiceState.Expired.class);
    }

    @Test
    void refusesInvoicesOfOtherNodes() {
        NodeKey stranger = NodeKey.generate(new SecureRandom());
        String foreign = Bolt11Encoder.encode(new UnsignedInvoice(Network.REGTEST, OptionalLong.of(1000),
                Instant.now(), Preimage.random(new SecureRandom()).hash(), new byte[32], "x", null, 600, 18, null),
                stranger);
        assertThatThrownBy(() -> node.pay(foreign, PayOptions.DEFAULT))
                .isInstanceOf(LightningException.class).hasMessageContaining("pays only its own invoices");
    }

    @Test
    void refusesGarbage() {
        assertThatThrownBy(() -> node.pay("lnbc1garbage", PayOptions.DEFAULT))
                .isInstanceOf(LightningException.class).hasMessageContaining("not a valid invoice");
    }

    @Test
    void anInvoiceThisNodeSignedButForgotIsRefused() throws Exception {
        CreatedInvoice created = node.createInvoice(InvoiceRequest.withMemo(5_000, "x", Duration.ofMinutes(10)));
        Files.delete(dir.resolve("invoices").resolve(created.paymentHash().hex() + ".json"));
        DevNodeBackend restarted = new DevNodeBackend(dir, clock, new SecureRandom());
        assertThatThrownBy(() -> restarted.pay(created.bolt11(), PayOptions.DEFAULT))
                .isInstanceOf(LightningException.class).hasMessageContaining("no record");
    }
}
