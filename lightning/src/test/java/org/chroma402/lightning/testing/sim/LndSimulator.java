package org.chroma402.lightning.testing.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.Preimage;

/**
 * LND's REST API as documented (lightning.engineering/api-docs): {@code POST /v1/invoices},
 * {@code GET /v1/invoice/{r_hash_str}}, {@code GET /v1/invoices}, the newline-delimited
 * {@code GET /v1/invoices/subscribe} stream, and {@code POST /v2/router/send}. Bytes are base64 as
 * the REST gateway writes them; the macaroon must come in {@code Grpc-Metadata-macaroon}.
 */
public final class LndSimulator extends HttpSimulator {
    public static final String MACAROON = "0201036c6e640258030a10" + "ab".repeat(40);
    /** When set, paid invoices are reported with this (wrong) preimage. */
    public volatile Preimage lyingPreimage;

    public LndSimulator(SimulatedNode node) {
        super(node, true);
        route("POST", "/v1/invoices", this::create);
        route("GET", "/v1/invoice/", this::lookup);
        route("GET", "/v1/invoices/subscribe", this::subscribe);
        route("GET", "/v1/invoices", (e, rest) -> send(e, 200, Map.of("invoices", java.util.List.of())));
        route("POST", "/v2/router/send", this::pay);
        node.onSettle(this::broadcast);
    }

    @Override
    protected boolean authorized(HttpExchange exchange) {
        return MACAROON.equals(exchange.getRequestHeaders().getFirst("Grpc-Metadata-macaroon"));
    }

    private void create(HttpExchange e, String rest) throws IOException {
        JsonNode body = body(e);
        long msat = body.has("value_msat") ? body.get("value_msat").asLong() : body.path("value").asLong() * 1000;
        long expiry = body.path("expiry").asLong(86400);
        SimulatedNode.Invoice invoice = node.create(msat, body.path("memo").asText(""), expiry, null);
        ObjectNode out = JSON.createObjectNode();
        out.put("r_hash", Base64.getEncoder().encodeToString(invoice.hash.bytes()));
        out.put("payment_request", invoice.bolt11);
        out.put("add_index", Long.toString(invoice.addIndex));
        out.put("payment_addr", Base64.getEncoder().encodeToString(new byte[32]));
        send(e, 200, out);
    }

    private void lookup(HttpExchange e, String hashHex) throws IOException {
        Optional<SimulatedNode.Invoice> invoice;
        try {
            invoice = node.find(PaymentHash.fromHex(hashHex));
        } catch (IllegalArgumentException ex) {
            send(e, 400, Map.of("code", 3, "message", "invalid hash"));
            return;
        }
        if (invoice.isEmpty()) {
            send(e, 404, Map.of("code", 5, "message", "unable to locate invoice"));
            return;
        }
        send(e, 200, json(invoice.get()));
    }

    private ObjectNode json(SimulatedNode.Invoice i) {
        ObjectNode out = JSON.createObjectNode();
        out.put("memo", i.memo);
        Preimage preimage = lyingPreimage != null && i.settled() ? lyingPreimage : i.preimage;
        out.put("r_preimage", Base64.getEncoder().encodeToString(preimage.bytes()));
        out.put("r_hash", Base64.getEncoder().encodeToString(i.hash.bytes()));
        out.put("value_msat", Long.toString(i.amountMsat));
        out.put("settled", i.settled());
        out.put("creation_date", Long.toString(i.createdAt.getEpochSecond()));
        out.put("settle_date", i.settledAt == null ? "0" : Long.toString(i.settledAt.getEpochSecond()));
        out.put("payment_request", i.bolt11);
        out.put("expiry", Long.toString(i.expirySeconds));
        out.put("add_index", Long.toString(i.addIndex));
        out.put("settle_index", Long.toString(i.settleIndex));
        out.put("amt_paid_msat", Long.toString(i.paidMsat));
        // LND cancels open invoices once they expire.
        out.put("state", i.settled() ? "SETTLED" : node.expired(i) ? "CANCELED" : "OPEN");
        return out;
    }

    private final java.util.List<HttpExchange> subscribers = new java.util.concurrent.CopyOnWriteArrayList<>();

    private void subscribe(HttpExchange e, String rest) throws IOException {
        long after = Long.parseLong(query(e).getOrDefault("settle_index", "0"));
        openStream(e);
        for (SimulatedNode.Invoice i : node.settledAfter(after)) {
            streamLine(e, Map.of("result", json(i)));
        }
        subscribers.add(e);
    }

    private void broadcast(SimulatedNode.Invoice invoice) {
        for (HttpExchange e : subscribers) {
            if (!streamLine(e, Map.of("result", json(invoice)))) {
                subscribers.remove(e);
            }
        }
    }

    @Override
    public void dropConnections() {
        subscribers.clear();
        super.dropConnections();
    }

    private void pay(HttpExchange e, String rest) throws IOException {
        JsonNode body = body(e);
        openStream(e);
        String bolt11 = body.path("payment_request").asText();
        streamLine(e, Map.of("result", Map.of("status", "IN_FLIGHT")));
        try {
            Preimage preimage = node.pay(bolt11);
            Preimage reported = lyingPreimage != null ? lyingPreimage : preimage;
            streamLine(e, Map.of("result", Map.of("status", "SUCCEEDED", "payment_preimage",
                    HexFormat.of().formatHex(reported.bytes()), "fee_msat", "1000")));
        } catch (RuntimeException ex) {
            streamLine(e, Map.of("result", Map.of("status", "FAILED", "failure_reason", "FAILURE_REASON_NO_ROUTE")));
        }
        closeStream(e);
    }
}
