package org.chroma402.lightning.testing.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.Preimage;

/**
 * Core Lightning's clnrest as documented (docs.corelightning.org): {@code POST /v1/<method>} with a
 * {@code Rune} header, for {@code invoice}, {@code listinvoices}, {@code waitanyinvoice} (a long
 * poll that times out with error 904), {@code pay} and {@code getinfo}.
 */
public final class ClnSimulator extends HttpSimulator {
    public static final String RUNE = "tU-RLjMiDpY2U0o3W1oFowar36RFGpWloPbW9-RuZdo9MyZpZD0wMjRiOWExZmE4ZTAwNmYxZTM5MzdmNjVmNjZjNDA4ZTZkYThlMWNhNzI4ZWE0MzIyMmE3MzgxZGYxY2M0NDk2MDUmbWV0aG9kPWxpc3RwZWVycyZwbnVtPTEmcG5hbWVpZF4wMjRiOWExZmE4ZTAwNmYxZTM5M3xwYXJyMF4wMjRiOWExZmE4ZTAwNmYxZTM5MyZ0aW1lPDE2NTY5MjA1MzgmcmF0ZT0y";
    private final List<HttpExchange> waiting = new CopyOnWriteArrayList<>();

    public ClnSimulator(SimulatedNode node) {
        super(node, false);
        route("POST", "/v1/invoice", this::invoice);
        route("POST", "/v1/listinvoices", this::listinvoices);
        route("POST", "/v1/waitanyinvoice", this::waitanyinvoice);
        route("POST", "/v1/pay", this::pay);
        route("POST", "/v1/getinfo", (e, r) -> send(e, 200, Map.of("id", node.nodeId(), "alias", "sim", "network", "regtest")));
    }

    @Override
    protected boolean authorized(HttpExchange exchange) {
        return RUNE.equals(exchange.getRequestHeaders().getFirst("Rune"));
    }

    private void invoice(HttpExchange e, String rest) throws IOException {
        JsonNode body = body(e);
        String label = body.path("label").asText();
        if (node.findByLabel(label).isPresent()) {
            send(e, 500, Map.of("code", 900, "message", "Duplicate label '" + label + "'"));
            return;
        }
        SimulatedNode.Invoice i = node.create(body.path("amount_msat").asLong(), body.path("description").asText(),
                body.path("expiry").asLong(604800), label);
        send(e, 201, Map.of("payment_hash", i.hash.hex(), "bolt11", i.bolt11, "expires_at", i.expiresAt().getEpochSecond(),
                "payment_secret", "00".repeat(32)));
    }

    private ObjectNode json(SimulatedNode.Invoice i) {
        ObjectNode out = JSON.createObjectNode();
        out.put("label", i.label);
        out.put("bolt11", i.bolt11);
        out.put("payment_hash", i.hash.hex());
        out.put("amount_msat", i.amountMsat);
        out.put("status", i.settled() ? "paid" : node.expired(i) ? "expired" : "unpaid");
        out.put("description", i.memo);
        out.put("expires_at", i.expiresAt().getEpochSecond());
        if (i.settled()) {
            out.put("pay_index", i.settleIndex);
            out.put("amount_received_msat", i.paidMsat);
            out.put("paid_at", i.settledAt.getEpochSecond());
            out.put("payment_preimage", HexFormat.of().formatHex(i.preimage.bytes()));
        }
        return out;
    }

    private void listinvoices(HttpExchange e, String rest) throws IOException {
        JsonNode body = body(e);
        ArrayNode list = JSON.createArrayNode();
        if (body.has("payment_hash")) {
            Optional<SimulatedNode.Invoice> i;
            try {
                i = node.find(PaymentHash.fromHex(body.get("payment_hash").asText()));
            } catch (IllegalArgumentException ex) {
                send(e, 500, Map.of("code", -32602, "message", "payment_hash: should be a hex string"));
                return;
            }
            i.ifPresent(x -> list.add(json(x)));
        } else {
            node.settledAfter(0).forEach(x -> list.add(json(x)));
        }
        send(e, 200, Map.of("invoices", list));
    }

    private void waitanyinvoice(HttpExchange e, String rest) throws IOException {
        JsonNode body = body(e);
        long last = body.path("lastpay_index").asLong(0);
        long timeoutMs = body.path("timeout").asLong(60) * 1000;
        long deadline = System.currentTimeMillis() + timeoutMs;
        waiting.add(e);
        try {
            while (System.currentTimeMillis() < deadline && waiting.contains(e)) {
                List<SimulatedNode.Invoice> paid = node.settledAfter(last);
                if (!paid.isEmpty()) {
                    send(e, 200, json(paid.get(0)));
                    return;
                }
                Thread.sleep(20);
            }
            if (waiting.contains(e)) {
                send(e, 500, Map.of("code", 904, "message", "Timed out"));
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            waiting.remove(e);
        }
    }

    @Override
    public void dropConnections() {
        for (HttpExchange e : waiting) {
            waiting.remove(e);
            e.close();
        }
        super.dropConnections();
    }

    private void pay(HttpExchange e, String rest) throws IOException {
        JsonNode body = body(e);
        try {
            Preimage preimage = node.pay(body.path("bolt11").asText());
            send(e, 200, Map.of("payment_preimage", HexFormat.of().formatHex(preimage.bytes()), "status", "complete",
                    "amount_msat", 10000, "amount_sent_msat", 10001));
        } catch (RuntimeException ex) {
            send(e, 500, Map.of("code", 210, "message", "Ran out of routes to try"));
        }
    }
}
