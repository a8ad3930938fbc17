package org.chroma402.lightning.nwc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.Preimage;
import org.chroma402.lightning.BackendInvoices;
import org.chroma402.lightning.CreatedInvoice;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.InvoiceNotFoundException;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.lightning.InvoiceState;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.PayOptions;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.lightning.PaymentResult;
import org.chroma402.lightning.SettlementListener;
import org.chroma402.lightning.SettlementListeners;
import org.chroma402.lightning.SettlementStream;

/**
 * A wallet reached over Nostr Wallet Connect (NIP-47), such as Alby Hub: {@code make_invoice},
 * {@code lookup_invoice} and {@code pay_invoice} requests as encrypted kind-23194 events through
 * the wallet's relays, replies as kind 23195, and {@code payment_received} notifications
 * (kinds 23196/23197) for settlement. Encrypts with NIP-44 when the wallet's info event
 * announces it and falls back to NIP-04 otherwise. Every request carries an expiration tag, so
 * a wallet that sees it late drops it instead of acting on it. The conversation itself is
 * {@link NwcSession}; this class maps it onto invoices, lookups, payments and settlements.
 */
public final class NwcBackend implements InvoiceBackend, PaymentBackend, SettlementStream, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NwcConfig config;
    private final Clock clock;
    private final NwcSession session;
    private final BackendInvoices invoices = new BackendInvoices("nwc");
    private final SettlementListeners listeners;

    public NwcBackend(NwcConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.session = new NwcSession(config, this::onNotification);
        // The relay connections are shared with requests, so they outlive the listeners.
        this.listeners = new SettlementListeners(() -> {
            session.open();
            return () -> { };
        });
    }


    @Override
    public String name() {
        return "nwc";
    }

    @Override
    public CreatedInvoice createInvoice(InvoiceRequest request) {
        long msat = request.amountSatRoundedUp() * 1000;
        ObjectNode params = JSON.createObjectNode();
        params.put("amount", msat);
        params.put("expiry", request.expiry().toSeconds());
        if (request.memo() != null) {
            params.put("description", request.memo());
        } else {
            params.put("description_hash", HexFormat.of().formatHex(request.descriptionHash()));
        }
        JsonNode result = session.call("make_invoice", params, config.timeout());
        if (!result.path("invoice").isTextual()) {
            throw new LightningException("NWC make_invoice: the wallet's reply has no invoice");
        }
        return invoices.accept(result.get("invoice").asText(), result.path("payment_hash").asText(null), request, msat);
    }

    @Override
    public InvoiceState lookupInvoice(PaymentHash paymentHash) {
        ObjectNode params = JSON.createObjectNode();
        params.put("payment_hash", paymentHash.hex());
        JsonNode result;
        try {
            result = session.call("lookup_invoice", params, config.timeout());
        } catch (NwcSession.WalletError e) {
            if ("NOT_FOUND".equals(e.code)) {
                throw new InvoiceNotFoundException(paymentHash);
            }
            throw e;
        }
        String state = result.path("state").asText("");
        long settledAt = result.path("settled_at").asLong(0);
        if ("settled".equals(state) || settledAt > 0) {
            return InvoiceState.paid(paymentHash, preimage(result.path("preimage").asText("")),
                    result.path("amount").asLong(0), settledAt > 0 ? Instant.ofEpochSecond(settledAt) : clock.instant());
        }
        if ("failed".equals(state)) {
            return new InvoiceState.Cancelled();
        }
        long expiresAt = result.path("expires_at").asLong(0);
        return invoices.unpaid(paymentHash, expiresAt > 0 ? Instant.ofEpochSecond(expiresAt) : null, clock.instant());
    }

    /** Healthy when a relay is connected and the wallet's info event allows receiving. */
    @Override
    public void checkHealth() {
        NwcSession.WalletInfo known = session.awaitReady(Instant.now().plus(config.timeout()));
        if (known == null) {
            throw new LightningException("NWC: the wallet has published no info event (kind 13194) on "
                    + config.uri().relays());
        }
        for (String method : List.of("make_invoice", "lookup_invoice")) {
            if (!known.methods().contains(method)) {
                throw new LightningException("NWC: this connection does not allow " + method + "; the wallet allows "
                        + known.methods());
            }
        }
    }

    @Override
    public PaymentResult pay(String bolt11, PayOptions options) {
        PaymentHash hash = PaymentBackend.paymentHashOf(bolt11);
        ObjectNode params = JSON.createObjectNode();
        params.put("invoice", bolt11);
        Duration timeout = options.timeout().compareTo(config.timeout()) > 0 ? options.timeout() : config.timeout();
        JsonNode result = session.call("pay_invoice", params, timeout);
        return PaymentResult.verified(hash, preimage(result.path("preimage").asText("")), result.path("fees_paid").asLong(0));
    }

    @Override
    public AutoCloseable subscribe(SettlementListener listener) {
        return listeners.add(listener);
    }

    @Override
    public void close() {
        session.close();
    }

    private void onNotification(JsonNode body) {
        if (!"payment_received".equals(body.path("notification_type").asText())) {
            return;
        }
        JsonNode payment = body.path("notification");
        PaymentHash hash = PaymentHash.fromHex(payment.path("payment_hash").asText());
        long settledAt = payment.path("settled_at").asLong(0);
        InvoiceState.Paid paid = InvoiceState.paid(hash, preimage(payment.path("preimage").asText("")),
                payment.path("amount").asLong(0), settledAt > 0 ? Instant.ofEpochSecond(settledAt) : clock.instant());
        listeners.settled(hash, paid);
    }

    private static Preimage preimage(String hex) {
        return Preimage.tryFromHex(hex).orElse(null);
    }
}
