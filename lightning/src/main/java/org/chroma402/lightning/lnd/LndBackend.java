package org.chroma402.lightning.lnd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.BooleanSupplier;
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
import org.chroma402.lightning.http.Backoff;
import org.chroma402.lightning.http.JsonHttp;
import org.chroma402.lightning.http.PinnedTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LND over its REST API (v0.18 and later): {@code POST /v1/invoices}, {@code GET /v1/invoice/{hash}},
 * the {@code /v1/invoices/subscribe} stream for settlements (resumed from the last settle index
 * after a drop), and {@code POST /v2/router/send} to pay. TLS is pinned to the node's certificate.
 */
public final class LndBackend implements InvoiceBackend, PaymentBackend, SettlementStream {
    private static final Logger log = LoggerFactory.getLogger(LndBackend.class);

    private final LndConfig config;
    private final JsonHttp http;
    private final Clock clock;
    private final BackendInvoices invoices = new BackendInvoices("LND");
    private final SettlementListeners listeners = new SettlementListeners(
            () -> SettlementListeners.loopOnThread("lnd-invoices", this::streamLoop));
    private volatile long settleIndex;

    public LndBackend(LndConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.http = new JsonHttp("LND", config.url(),
                "https".equals(config.url().getScheme()) ? PinnedTls.context(config.tlsCertPem()) : null,
                config.timeout(), Map.of("Grpc-Metadata-macaroon", config.macaroonHex()));
    }

    @Override
    public String name() {
        return "lnd";
    }

    @Override
    public CreatedInvoice createInvoice(InvoiceRequest request) {
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        body.put("value_msat", Long.toString(request.amountMsat()));
        body.put("expiry", Long.toString(request.expiry().toSeconds()));
        if (request.memo() != null) {
            body.put("memo", request.memo());
        } else {
            body.put("description_hash", Base64.getEncoder().encodeToString(request.descriptionHash()));
        }
        JsonNode reply = http.requireObject(http.postJson("/v1/invoices", body), "create invoice");
        String bolt11 = http.text(reply, "payment_request", "create invoice");
        String hash = hashHex(reply.get("r_hash"));
        return invoices.accept(bolt11, hash, request, request.amountMsat());
    }

    @Override
    public InvoiceState lookupInvoice(PaymentHash paymentHash) {
        JsonHttp.Reply reply = http.get("/v1/invoice/" + paymentHash.hex());
        if (reply.status() == 404 || (!reply.ok() && reply.raw() != null && reply.raw().contains("unable to locate invoice"))) {
            throw new InvoiceNotFoundException(paymentHash);
        }
        return state(paymentHash, http.requireObject(reply, "look up invoice"));
    }

    private InvoiceState state(PaymentHash paymentHash, JsonNode invoice) {
        String state = invoice.path("state").asText("");
        switch (state) {
            case "SETTLED" -> {
                Preimage preimage = preimage(invoice.get("r_preimage"));
                long paid = invoice.path("amt_paid_msat").asLong(0);
                Instant at = Instant.ofEpochSecond(invoice.path("settle_date").asLong(clock.instant().getEpochSecond()));
                return InvoiceState.paid(paymentHash, preimage, paid, at);
            }
            case "CANCELED" -> {
                Instant expiresAt = expiry(invoice);
                return expiresAt != null && !clock.instant().isBefore(expiresAt) ? new InvoiceState.Expired()
                        : new InvoiceState.Cancelled();
            }
            case "OPEN", "ACCEPTED" -> {
                return invoices.unpaid(paymentHash, expiry(invoice), clock.instant());
            }
            default -> throw new LightningException("LND reported an unknown invoice state '" + state + "'");
        }
    }

    private static Instant expiry(JsonNode invoice) {
        long created = invoice.path("creation_date").asLong(0);
        long expiry = invoice.path("expiry").asLong(0);
        return created > 0 && expiry > 0 ? Instant.ofEpochSecond(created + expiry) : null;
    }

    @Override
    public void checkHealth() {
        http.requireObject(http.get("/v1/invoices?num_max_invoices=1&reversed=true"), "health check");
    }

    @Override
    public PaymentResult pay(String bolt11, PayOptions options) {
        PaymentHash hash = PaymentBackend.paymentHashOf(bolt11);
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        body.put("payment_request", bolt11);
        body.put("timeout_seconds", (int) Math.max(1, options.timeout().toSeconds()));
        body.put("fee_limit_msat", Long.toString(Math.min(options.maxFeeMsat(), config.feeLimitSat() * 1000)));
        body.put("no_inflight_updates", true);
        PaymentResult[] result = new PaymentResult[1];
        String[] failure = new String[1];
        http.stream("POST", "/v2/router/send", body, update -> {
            JsonNode payment = update.has("result") ? update.get("result") : update;
            if (update.has("error")) {
                failure[0] = update.path("error").path("message").asText("payment failed");
                return;
            }
            switch (payment.path("status").asText("")) {
                case "SUCCEEDED" -> result[0] = PaymentResult.verified(hash,
                        Preimage.fromHex(payment.path("payment_preimage").asText("")), payment.path("fee_msat").asLong(0));
                case "FAILED" -> failure[0] = "payment failed: " + payment.path("failure_reason").asText("unknown reason");
                default -> {
                    // IN_FLIGHT: wait for the final update.
                }
            }
        });
        if (result[0] != null) {
            return result[0];
        }
        throw new LightningException("LND " + (failure[0] != null ? failure[0] : "ended the payment stream without a result"));
    }

    @Override
    public AutoCloseable subscribe(SettlementListener listener) {
        return listeners.add(listener);
    }

    /** Follows settlements forever, reconnecting with back-off and resuming from the last settle index. */
    private void streamLoop(BooleanSupplier closed) {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        while (!closed.getAsBoolean()) {
            try {
                http.stream("GET", "/v1/invoices/subscribe?settle_index=" + settleIndex, null, update -> {
                    JsonNode invoice = update.has("result") ? update.get("result") : update;
                    if ("SETTLED".equals(invoice.path("state").asText())) {
                        onSettled(invoice);
                    }
                });
                backoff.reset();
            } catch (LightningException e) {
                if (closed.getAsBoolean()) {
                    return;
                }
                log.debug("LND invoice stream dropped ({}); reconnecting within {} ms", e.getMessage(),
                        backoff.currentStepMillis());
            }
            try {
                backoff.pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void onSettled(JsonNode invoice) {
        try {
            PaymentHash hash = new PaymentHash(decodeBytes(invoice.get("r_hash")));
            InvoiceState.Paid paid = (InvoiceState.Paid) state(hash, invoice);
            settleIndex = Math.max(settleIndex, invoice.path("settle_index").asLong(settleIndex));
            listeners.settled(hash, paid);
        } catch (LightningException | IllegalArgumentException | ClassCastException e) {
            log.warn("ignored a settlement from LND that does not check out: {}", e.getMessage());
        }
    }

    private static String hashHex(JsonNode rHash) {
        return rHash == null ? null : HexFormat.of().formatHex(decodeBytes(rHash));
    }

    /** LND's REST gateway writes bytes as base64; accept hex too, as some proxies re-encode. */
    static byte[] decodeBytes(JsonNode node) {
        if (node == null || !node.isTextual()) {
            throw new LightningException("LND sent bytes that are not text");
        }
        String text = node.asText();
        if (Bytes32.isHex(text)) {
            return HexFormat.of().parseHex(text);
        }
        try {
            return Base64.getDecoder().decode(text.replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new LightningException("LND sent bytes that are neither base64 nor hex");
        }
    }

    private static Preimage preimage(JsonNode node) {
        if (node == null || node.isNull() || node.asText().isEmpty()) {
            return null;
        }
        byte[] bytes = decodeBytes(node);
        return bytes.length == 32 ? new Preimage(bytes) : null;
    }
}
