package org.chroma402.lightning.lnbits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import org.chroma402.l402.Bytes32;
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
import org.chroma402.lightning.http.JsonHttp;
import org.chroma402.lightning.http.WebSocketFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An LNbits wallet through its REST API (v0.12 and later, {@code /api/v1/payments}), with payment
 * notices from the wallet websocket {@code /api/v1/ws/{invoice key}}. LNbits counts in whole
 * satoshis, so amounts are rounded up to the next sat. A notice is only a hint: the payment is
 * looked up and believed only with a matching preimage.
 */
public final class LnbitsBackend implements InvoiceBackend, PaymentBackend, SettlementStream {
    private static final Logger log = LoggerFactory.getLogger(LnbitsBackend.class);

    private final LnbitsConfig config;
    private final JsonHttp receive;
    private final JsonHttp admin;
    private final Clock clock;
    private final BackendInvoices invoices = new BackendInvoices("LNbits");
    private final SettlementListeners listeners = new SettlementListeners(this::openFeed);

    public LnbitsBackend(LnbitsConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.receive = new JsonHttp("LNbits", config.url(), null, config.timeout(), Map.of("X-Api-Key", config.invoiceKey()));
        this.admin = config.adminKey() == null ? null
                : new JsonHttp("LNbits", config.url(), null, config.timeout(), Map.of("X-Api-Key", config.adminKey()));
    }

    @Override
    public String name() {
        return "lnbits";
    }

    @Override
    public CreatedInvoice createInvoice(InvoiceRequest request) {
        long sats = request.amountSatRoundedUp();
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        body.put("out", false);
        body.put("amount", sats);
        body.put("unit", "sat");
        body.put("expiry", request.expiry().toSeconds());
        if (request.memo() != null) {
            body.put("memo", request.memo());
        } else {
            body.put("description_hash", java.util.HexFormat.of().formatHex(request.descriptionHash()));
        }
        JsonNode reply = receive.requireObject(receive.postJson("/api/v1/payments", body), "create invoice");
        String bolt11 = reply.has("bolt11") ? receive.text(reply, "bolt11", "create invoice")
                : receive.text(reply, "payment_request", "create invoice");
        return invoices.accept(bolt11, receive.text(reply, "payment_hash", "create invoice"), request, sats * 1000);
    }

    @Override
    public InvoiceState lookupInvoice(PaymentHash paymentHash) {
        JsonHttp.Reply reply = receive.get("/api/v1/payments/" + paymentHash.hex());
        if (reply.status() == 404) {
            throw new InvoiceNotFoundException(paymentHash);
        }
        JsonNode body = receive.requireObject(reply, "look up invoice");
        if (body.path("paid").asBoolean(false)) {
            String preimage = body.path("preimage").asText(null);
            long amount = Math.abs(body.path("details").path("amount").asLong(0));
            return InvoiceState.paid(paymentHash, Preimage.tryFromHex(preimage).orElse(null), amount, clock.instant());
        }
        String status = body.path("details").path("status").asText("");
        if ("failed".equals(status) || "expired".equals(status)) {
            return new InvoiceState.Expired();
        }
        return invoices.unpaid(paymentHash, null, clock.instant());
    }

    @Override
    public void checkHealth() {
        receive.requireObject(receive.get("/api/v1/wallet"), "health check");
    }

    @Override
    public PaymentResult pay(String bolt11, PayOptions options) {
        if (admin == null) {
            throw new LightningException("paying with LNbits needs lightning.lnbits.admin-key");
        }
        PaymentHash hash = PaymentBackend.paymentHashOf(bolt11);
        admin.requireObject(admin.postJson("/api/v1/payments", Map.of("out", true, "bolt11", bolt11)), "pay");
        JsonNode status = admin.requireObject(admin.get("/api/v1/payments/" + hash.hex()), "payment status");
        if (!status.path("paid").asBoolean(false)) {
            throw new LightningException("LNbits did not complete the payment");
        }
        String preimage = status.path("preimage").asText("");
        long fee = Math.abs(status.path("details").path("fee").asLong(0));
        return PaymentResult.verified(hash, Preimage.tryFromHex(preimage).orElse(null), fee);
    }

    @Override
    public AutoCloseable subscribe(SettlementListener listener) {
        return listeners.add(listener);
    }

    private WebSocketFeed openFeed() {
        String base = config.url().toString().replaceFirst("^http", "ws");
        URI ws = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v1/ws/"
                + config.invoiceKey());
        return new WebSocketFeed("lnbits", ws, receive.client(), Map.of(), socket -> listeners.reconnected(), this::onMessage).start();
    }

    private void onMessage(String text) {
        try {
            JsonNode message = JsonHttp.JSON.readTree(text);
            JsonNode payment = message.has("payment") ? message.get("payment") : message;
            String hash = payment.path("payment_hash").asText(payment.path("checking_id").asText(""));
            if (!Bytes32.isHex(hash)) {
                return;
            }
            PaymentHash paymentHash = PaymentHash.fromHex(hash);
            if (lookupInvoice(paymentHash) instanceof InvoiceState.Paid paid) {
                listeners.settled(paymentHash, paid);
            }
        } catch (Exception e) {
            log.debug("ignored an LNbits notice: {}", e.getMessage());
        }
    }
}
