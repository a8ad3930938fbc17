package org.chroma402.lightning.cln;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.BooleanSupplier;
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
 * Core Lightning through clnrest (v23.08 and later): every method is {@code POST /v1/<method>}
 * with the rune in a {@code Rune} header. Settlements come from a {@code waitanyinvoice} long
 * poll that resumes from the last pay index after a drop.
 */
public final class ClnBackend implements InvoiceBackend, PaymentBackend, SettlementStream {
    private static final Logger log = LoggerFactory.getLogger(ClnBackend.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final JsonHttp http;
    private final JsonHttp longPoll;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final BackendInvoices invoices = new BackendInvoices("Core Lightning");
    private final SettlementListeners listeners = new SettlementListeners(
            () -> SettlementListeners.loopOnThread("cln-waitanyinvoice", this::waitLoop));

    public ClnBackend(ClnConfig config, Clock clock) {
        this.clock = clock;
        var tls = config.tlsCertPem() == null ? null : PinnedTls.context(config.tlsCertPem());
        Map<String, String> headers = Map.of("Rune", config.rune());
        this.http = new JsonHttp("Core Lightning", config.url(), tls, config.timeout(), headers);
        this.longPoll = new JsonHttp("Core Lightning", config.url(), tls, WAIT.plus(config.timeout()), headers);
    }

    @Override
    public String name() {
        return "cln";
    }

    @Override
    public CreatedInvoice createInvoice(InvoiceRequest request) {
        if (request.memo() == null) {
            throw new LightningException("Core Lightning needs the description itself, not only its hash");
        }
        byte[] label = new byte[12];
        random.nextBytes(label);
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        body.put("amount_msat", request.amountMsat());
        body.put("label", "chroma402-" + HexFormat.of().formatHex(label));
        body.put("description", request.memo());
        body.put("expiry", request.expiry().toSeconds());
        JsonNode reply = http.requireObject(http.postJson("/v1/invoice", body), "create invoice");
        return invoices.accept(http.text(reply, "bolt11", "create invoice"), http.text(reply, "payment_hash", "create invoice"),
                request, request.amountMsat());
    }

    @Override
    public InvoiceState lookupInvoice(PaymentHash paymentHash) {
        JsonNode reply = http.requireObject(http.postJson("/v1/listinvoices", Map.of("payment_hash", paymentHash.hex())),
                "look up invoice");
        JsonNode list = reply.path("invoices");
        if (!list.isArray()) {
            throw new LightningException("Core Lightning listinvoices answered without an invoices list");
        }
        if (list.isEmpty()) {
            throw new InvoiceNotFoundException(paymentHash);
        }
        return state(paymentHash, list.get(0));
    }

    private InvoiceState state(PaymentHash paymentHash, JsonNode invoice) {
        Instant expiresAt = invoice.has("expires_at") ? Instant.ofEpochSecond(invoice.get("expires_at").asLong()) : null;
        return switch (invoice.path("status").asText("")) {
            case "paid" -> InvoiceState.paid(paymentHash, preimage(invoice.path("payment_preimage").asText(null)),
                    invoice.path("amount_received_msat").asLong(0),
                    Instant.ofEpochSecond(invoice.path("paid_at").asLong(clock.instant().getEpochSecond())));
            case "expired" -> new InvoiceState.Expired();
            case "unpaid" -> invoices.unpaid(paymentHash, expiresAt, clock.instant());
            default -> throw new LightningException("Core Lightning reported an unknown invoice status '"
                    + invoice.path("status").asText() + "'");
        };
    }

    private static Preimage preimage(String hex) {
        return Preimage.tryFromHex(hex).orElse(null);
    }

    @Override
    public void checkHealth() {
        http.requireObject(http.postJson("/v1/getinfo", Map.of()), "health check");
    }

    @Override
    public PaymentResult pay(String bolt11, PayOptions options) {
        PaymentHash hash = PaymentBackend.paymentHashOf(bolt11);
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        body.put("bolt11", bolt11);
        body.put("maxfee", options.maxFeeMsat());
        body.put("retry_for", Math.max(1, options.timeout().toSeconds()));
        JsonNode reply = http.requireObject(longPoll.postJson("/v1/pay", body), "pay");
        if (!"complete".equals(reply.path("status").asText())) {
            throw new LightningException("Core Lightning payment ended as " + reply.path("status").asText("unknown"));
        }
        long fee = reply.path("amount_sent_msat").asLong(0) - reply.path("amount_msat").asLong(0);
        return PaymentResult.verified(hash, preimage(reply.path("payment_preimage").asText(null)), Math.max(0, fee));
    }

    @Override
    public AutoCloseable subscribe(SettlementListener listener) {
        return listeners.add(listener);
    }

    private void waitLoop(BooleanSupplier closed) {
        long lastPayIndex = -1;
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        while (!closed.getAsBoolean()) {
            try {
                if (lastPayIndex < 0) {
                    lastPayIndex = highestPayIndex();
                }
                JsonHttp.Reply reply = longPoll.postJson("/v1/waitanyinvoice",
                        Map.of("lastpay_index", lastPayIndex, "timeout", WAIT.toSeconds()));
                if (reply.ok() && reply.body().isObject()) {
                    JsonNode invoice = reply.body();
                    lastPayIndex = Math.max(lastPayIndex, invoice.path("pay_index").asLong(lastPayIndex));
                    if ("paid".equals(invoice.path("status").asText())) {
                        notify(invoice);
                    }
                } else if (!isTimeout(reply)) {
                    throw new LightningException("waitanyinvoice answered HTTP " + reply.status());
                }
                backoff.reset();
                continue;
            } catch (LightningException e) {
                if (closed.getAsBoolean()) {
                    return;
                }
                log.debug("Core Lightning waitanyinvoice failed ({}); retrying within {} ms", e.getMessage(),
                        backoff.currentStepMillis());
            }
            try {
                backoff.pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** waitanyinvoice's timeout is an error (code 904), not a failure. */
    private static boolean isTimeout(JsonHttp.Reply reply) {
        return reply.body().path("code").asInt() == 904;
    }

    private long highestPayIndex() {
        JsonNode reply = http.requireObject(http.postJson("/v1/listinvoices", Map.of()), "list invoices");
        long highest = 0;
        for (JsonNode invoice : reply.path("invoices")) {
            highest = Math.max(highest, invoice.path("pay_index").asLong(0));
        }
        return highest;
    }

    private void notify(JsonNode invoice) {
        try {
            PaymentHash hash = PaymentHash.fromHex(invoice.path("payment_hash").asText());
            InvoiceState.Paid paid = (InvoiceState.Paid) state(hash, invoice);
            listeners.settled(hash, paid);
        } catch (RuntimeException e) {
            log.warn("ignored a settlement from Core Lightning that does not check out: {}", e.getMessage());
        }
    }
}
