package org.chroma402.lightning.testing.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.Preimage;

/**
 * An LNbits wallet as documented (its /docs OpenAPI): {@code POST /api/v1/payments} to create
 * ({@code out: false}) or pay ({@code out: true}), {@code GET /api/v1/payments/{hash}},
 * {@code GET /api/v1/wallet}, and the notification websocket {@code /api/v1/ws/{invoice key}}.
 */
public final class LnbitsSimulator extends JavalinSimulator {
    public static final String INVOICE_KEY = "4f5d2a5e3c8b41b5a7d0e8b8a4d0f1c2";
    public static final String ADMIN_KEY = "9a8b7c6d5e4f40318a2b1c0d9e8f7a6b";

    public static LnbitsSimulator create(SimulatedNode node) {
        LnbitsSimulator[] self = new LnbitsSimulator[1];
        self[0] = new LnbitsSimulator(node, config -> {
            config.routes.post("/api/v1/payments", ctx -> self[0].payments(ctx));
            config.routes.get("/api/v1/payments/{hash}", ctx -> self[0].status(ctx));
            config.routes.get("/api/v1/wallet", ctx -> self[0].wallet(ctx));
            config.routes.ws("/api/v1/ws/{key}", ws -> ws.onConnect(c -> {
                if (INVOICE_KEY.equals(c.pathParam("key"))) {
                    self[0].sockets.add(c);
                } else {
                    c.closeSession(1008, "invalid key");
                }
            }));
        });
        node.onSettle(i -> self[0].broadcast("{\"payment\": {\"payment_hash\": \"" + i.hash.hex()
                + "\", \"amount\": " + i.paidMsat + ", \"status\": \"success\"}}"));
        return self[0];
    }

    private LnbitsSimulator(SimulatedNode node, java.util.function.Consumer<io.javalin.config.JavalinConfig> routes) {
        super(node, routes);
    }

    private boolean key(Context ctx, boolean adminNeeded) {
        String key = ctx.header("X-Api-Key");
        boolean ok = ADMIN_KEY.equals(key) || (!adminNeeded && INVOICE_KEY.equals(key));
        if (!ok) {
            json(ctx, 401, Map.of("detail", "Invalid key"));
        }
        return ok;
    }

    private void payments(Context ctx) throws Exception {
        JsonNode body = JSON.readTree(ctx.body());
        boolean out = body.path("out").asBoolean(false);
        if (!key(ctx, out)) {
            return;
        }
        if (out) {
            try {
                Preimage preimage = node.pay(body.path("bolt11").asText());
                paidOut.put(preimage.hash(), preimage);
                json(ctx, 201, Map.of("payment_hash", preimage.hash().hex(), "checking_id", preimage.hash().hex()));
            } catch (RuntimeException e) {
                json(ctx, 520, Map.of("detail", "Payment failed: " + e.getMessage()));
            }
            return;
        }
        SimulatedNode.Invoice i = node.create(body.path("amount").asLong() * 1000, body.path("memo").asText(""),
                body.path("expiry").asLong(3600), null);
        json(ctx, 201, Map.of("payment_hash", i.hash.hex(), "payment_request", i.bolt11, "bolt11", i.bolt11,
                "checking_id", i.hash.hex()));
    }

    private final Map<PaymentHash, Preimage> paidOut = new java.util.concurrent.ConcurrentHashMap<>();

    private void status(Context ctx) {
        if (!key(ctx, false)) {
            return;
        }
        PaymentHash hash;
        try {
            hash = PaymentHash.fromHex(ctx.pathParam("hash"));
        } catch (IllegalArgumentException e) {
            json(ctx, 404, Map.of("detail", "Payment does not exist."));
            return;
        }
        Preimage outgoing = paidOut.get(hash);
        if (outgoing != null) {
            json(ctx, 200, Map.of("paid", true, "preimage", HexFormat.of().formatHex(outgoing.bytes()),
                    "details", Map.of("amount", -10000, "fee", -1000, "status", "success")));
            return;
        }
        Optional<SimulatedNode.Invoice> i = node.find(hash);
        if (i.isEmpty()) {
            json(ctx, 404, Map.of("detail", "Payment does not exist."));
            return;
        }
        SimulatedNode.Invoice invoice = i.get();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("amount", invoice.amountMsat);
        details.put("status", invoice.settled() ? "success" : node.expired(invoice) ? "failed" : "pending");
        details.put("bolt11", invoice.bolt11);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("paid", invoice.settled());
        out.put("preimage", invoice.settled() ? HexFormat.of().formatHex(invoice.preimage.bytes()) : null);
        out.put("details", details);
        json(ctx, 200, out);
    }

    private void wallet(Context ctx) {
        if (key(ctx, false)) {
            json(ctx, 200, Map.of("name", "simulated", "balance", 100000000));
        }
    }
}
