package org.chroma402.lightning.phoenixd;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * ACINQ's phoenixd (v0.4 and later) through its HTTP API: form-encoded {@code /createinvoice} and
 * {@code /payinvoice}, {@code /payments/incoming/{hash}} for lookups, and its {@code /websocket}
 * for payment events, all with HTTP basic auth (empty user, the http-password). Amounts are whole
 * satoshis, rounded up.
 */
public final class PhoenixdBackend implements InvoiceBackend, PaymentBackend, SettlementStream {
    private static final Logger log = LoggerFactory.getLogger(PhoenixdBackend.class);

    private final PhoenixdConfig config;
    private final JsonHttp http;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final BackendInvoices invoices = new BackendInvoices("phoenixd");
    private final SettlementListeners listeners = new SettlementListeners(this::openFeed);
    private final Map<String, String> auth;

    public PhoenixdBackend(PhoenixdConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.auth = Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((":" + config.password()).getBytes(StandardCharsets.UTF_8)));
        this.http = new JsonHttp("phoenixd", config.url(), null, config.timeout(), auth);
    }

    @Override
    public String name() {
        return "phoenixd";
    }

    @Override
    public CreatedInvoice createInvoice(InvoiceRequest request) {
        long sats = request.amountSatRoundedUp();
        byte[] external = new byte[8];
        random.nextBytes(external);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("amountSat", Long.toString(sats));
        form.put("expirySeconds", Long.toString(request.expiry().toSeconds()));
        form.put("externalId", "chroma402-" + HexFormat.of().formatHex(external));
        if (request.memo() != null) {
            form.put("description", request.memo());
        } else {
            form.put("descriptionHash", HexFormat.of().formatHex(request.descriptionHash()));
        }
        JsonNode reply = http.requireObject(http.postForm("/createinvoice", form), "create invoice");
        return invoices.accept(http.text(reply, "serialized", "create invoice"), http.text(reply, "paymentHash", "create invoice"),
                request, sats * 1000);
    }

    @Override
    public InvoiceState lookupInvoice(PaymentHash paymentHash) {
        JsonHttp.Reply reply = http.get("/payments/incoming/" + paymentHash.hex());
        if (reply.status() == 404) {
            throw new InvoiceNotFoundException(paymentHash);
        }
        JsonNode body = http.requireObject(reply, "look up invoice");
        if (body.path("isPaid").asBoolean(false)) {
            String preimage = body.path("preimage").asText("");
            long completed = body.path("completedAt").asLong(clock.millis());
            return InvoiceState.paid(paymentHash, Preimage.tryFromHex(preimage).orElse(null),
                    body.path("receivedSat").asLong(0) * 1000, Instant.ofEpochMilli(completed));
        }
        Instant expiresAt = body.has("expiresAt") ? Instant.ofEpochMilli(body.get("expiresAt").asLong()) : null;
        return invoices.unpaid(paymentHash, expiresAt, clock.instant());
    }

    @Override
    public void checkHealth() {
        http.requireObject(http.get("/getinfo"), "health check");
    }

    @Override
    public PaymentResult pay(String bolt11, PayOptions options) {
        PaymentHash hash = PaymentBackend.paymentHashOf(bolt11);
        JsonNode reply = http.requireObject(http.postForm("/payinvoice", Map.of("invoice", bolt11)), "pay");
        String preimage = reply.path("paymentPreimage").asText("");
        Preimage paid = Preimage.tryFromHex(preimage).orElseThrow(() -> new LightningException(
                "phoenixd did not complete the payment: " + JsonHttp.abbreviate(reply.toString())));
        return PaymentResult.verified(hash, paid, reply.path("routingFeeSat").asLong(0) * 1000);
    }

    @Override
    public AutoCloseable subscribe(SettlementListener listener) {
        return listeners.add(listener);
    }

    private WebSocketFeed openFeed() {
        String base = config.url().toString().replaceFirst("^http", "ws");
        URI ws = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/websocket");
        return new WebSocketFeed("phoenixd", ws, http.client(), auth, socket -> listeners.reconnected(), this::onMessage).start();
    }

    private void onMessage(String text) {
        try {
            JsonNode event = JsonHttp.JSON.readTree(text);
            if (!"payment_received".equals(event.path("type").asText())) {
                return;
            }
            PaymentHash hash = PaymentHash.fromHex(event.path("paymentHash").asText());
            if (lookupInvoice(hash) instanceof InvoiceState.Paid paid) {
                listeners.settled(hash, paid);
            }
        } catch (Exception e) {
            log.debug("ignored a phoenixd event: {}", e.getMessage());
        }
    }
}
