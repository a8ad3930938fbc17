package org.chroma402.lightning.testing.sim;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.Preimage;

/**
 * phoenixd's HTTP API as documented (phoenix.acinq.co/server/api): form-encoded
 * {@code POST /createinvoice} and {@code POST /payinvoice}, {@code GET /payments/incoming/{hash}},
 * {@code GET /getinfo}, and {@code /websocket} events, behind HTTP basic auth.
 */
public final class PhoenixdSimulator extends JavalinSimulator {
    public static final String PASSWORD = "b0f3c1e2d4a5968778695a4b3c2d1e0f";

    private PhoenixdSimulator(SimulatedNode node, java.util.function.Consumer<io.javalin.config.JavalinConfig> routes) {
        super(node, routes);
    }

    public static PhoenixdSimulator create(SimulatedNode node) {
        PhoenixdSimulator[] self = new PhoenixdSimulator[1];
        self[0] = new PhoenixdSimulator(node, config -> {
            config.routes.before(ctx -> {
                if (!self[0].authorized(ctx.header("Authorization"))) {
                    ctx.status(401).result("Invalid authentication (use basic auth with the http password set in phoenix.conf)");
                    ctx.skipRemainingHandlers();
                }
            });
            config.routes.post("/createinvoice", ctx -> self[0].create(ctx));
            config.routes.post("/payinvoice", ctx -> self[0].pay(ctx));
            config.routes.get("/payments/incoming/{hash}", ctx -> self[0].incoming(ctx));
            config.routes.get("/getinfo", ctx -> json(ctx, 200, Map.of("nodeId", node.nodeId(), "chain", "regtest")));
            config.routes.ws("/websocket", ws -> ws.onConnect(c -> self[0].sockets.add(c)));
        });
        node.onSettle(i -> self[0].broadcast("{\"type\": \"payment_received\", \"timestamp\": " + System.currentTimeMillis()
                + ", \"amountSat\": " + i.paidMsat / 1000 + ", \"paymentHash\": \"" + i.hash.hex() + "\"}"));
        return self[0];
    }

    private boolean authorized(String header) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return expected.equals(header);
    }

    private void create(Context ctx) {
        long sats = Long.parseLong(ctx.formParam("amountSat"));
        long expiry = Long.parseLong(ctx.formParamMap().getOrDefault("expirySeconds", java.util.List.of("3600")).get(0));
        SimulatedNode.Invoice i = node.create(sats * 1000, ctx.formParam("description"), expiry, ctx.formParam("externalId"));
        json(ctx, 200, Map.of("amountSat", sats, "paymentHash", i.hash.hex(), "serialized", i.bolt11));
    }

    private void pay(Context ctx) {
        try {
            Preimage preimage = node.pay(ctx.formParam("invoice"));
            json(ctx, 200, Map.of("recipientAmountSat", 10, "routingFeeSat", 1, "paymentId", "sim",
                    "paymentHash", preimage.hash().hex(), "paymentPreimage", HexFormat.of().formatHex(preimage.bytes())));
        } catch (RuntimeException e) {
            json(ctx, 200, Map.of("reason", e.getMessage()));
        }
    }

    private void incoming(Context ctx) {
        Optional<SimulatedNode.Invoice> found;
        try {
            found = node.find(PaymentHash.fromHex(ctx.pathParam("hash")));
        } catch (IllegalArgumentException e) {
            found = Optional.empty();
        }
        if (found.isEmpty()) {
            ctx.status(404).result("Not found");
            return;
        }
        SimulatedNode.Invoice i = found.get();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("paymentHash", i.hash.hex());
        out.put("preimage", HexFormat.of().formatHex(i.preimage.bytes()));
        out.put("isPaid", i.settled());
        out.put("receivedSat", i.paidMsat / 1000);
        out.put("fees", 0);
        out.put("createdAt", i.createdAt.toEpochMilli());
        out.put("expiresAt", i.expiresAt().toEpochMilli());
        if (i.settled()) {
            out.put("completedAt", i.settledAt.toEpochMilli());
        }
        json(ctx, 200, out);
    }
}
