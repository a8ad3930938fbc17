package org.chroma402.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.chroma402.l402.L402FormatException;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.bolt11.InvoiceFormatException;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.l402.macaroon.MacaroonCodec;
import org.chroma402.lightning.InvoiceState;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.PayOptions;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.lightning.PaymentResult;
import org.chroma402.lightning.SettlementWatcher;
import org.chroma402.server.gate.ChallengeIssuer;
import org.chroma402.server.gate.ChallengeRecord;
import org.chroma402.server.gate.PaymentGate;
import org.chroma402.server.metrics.ServerMetrics;

/**
 * Payment helpers for people without a terminal: learning that a phone wallet paid (long poll),
 * the invoice as a QR code, and, with the development backend only, a wallet that pays.
 */
final class PaymentHandlers {
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final PaymentGate gate;
    private final SettlementWatcher watcher;
    private final PaymentBackend devWallet;
    private final ServerMetrics metrics;
    private final Clock clock;

    PaymentHandlers(PaymentGate gate, SettlementWatcher watcher, PaymentBackend devWallet, ServerMetrics metrics,
            Clock clock) {
        this.clock = clock;
        this.gate = gate;
        this.watcher = watcher;
        this.devWallet = devWallet;
        this.metrics = metrics;
    }

    /**
     * {@code POST /api/l402/payment-status {"macaroon": "..."}}: waits up to {@code ?wait=} seconds
     * for the token's invoice to be paid and says so. The preimage, which completes the
     * credential, is given only for the macaroon exactly as it was issued (checked by its signature
     * and caveats) while it can still be redeemed: what the web page holds after showing the
     * invoice. An attenuated or expired copy learns the state only.
     */
    void paymentStatus(Context ctx) {
        JsonNode body = readObject(ctx);
        String text = body.path("macaroon").asText("");
        Macaroon macaroon;
        try {
            macaroon = MacaroonCodec.decodeBase64(text);
        } catch (L402FormatException e) {
            throw new ApiException(ErrorCode.INVALID_MACAROON, "not a valid macaroon: " + e.getMessage(),
                    "send the macaroon from the 402 response");
        }
        ChallengeRecord challenge = gate.challengeOf(macaroon).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_TOKEN, "this server did not issue that macaroon", "ask for a new invoice"));
        boolean givesPreimage = ChallengeIssuer.isAsIssued(macaroon, challenge)
                && !clock.instant().isAfter(challenge.tokenExpiresAt());
        long wait = Math.max(0, Math.min(MAX_WAIT.toSeconds(), ctx.queryParamAsClass("wait", Long.class).getOrDefault(25L)));
        CompletableFuture<InvoiceState> state = watcher.await(challenge.paymentHash(), challenge.invoiceExpiresAt());
        ctx.future(() -> state.orTimeout(wait == 0 ? 1 : wait * 1000, TimeUnit.MILLISECONDS).handle((s, error) -> {
            ObjectNode out = JsonBodies.object();
            out.put("payment_hash", challenge.paymentHash().hex());
            out.put("expires_at", challenge.invoiceExpiresAt().toString());
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                out.put("state", cause instanceof TimeoutException ? "open" : "unknown");
            } else if (s instanceof InvoiceState.Paid paid) {
                out.put("state", "paid");
                if (givesPreimage) {
                    out.put("preimage", paid.preimage().hex());
                }
            } else if (s instanceof InvoiceState.Expired) {
                out.put("state", "expired");
            } else if (s instanceof InvoiceState.Cancelled) {
                out.put("state", "cancelled");
            } else {
                out.put("state", "open");
            }
            ctx.header("Cache-Control", "no-store");
            JsonBodies.send(ctx, 200, out);
            return null;
        }));
    }

    /** {@code GET /api/l402/qr.svg?invoice=...}: the invoice as an SVG QR code (upper case, as BOLT11 advises). */
    void qr(Context ctx) {
        String invoice = ctx.queryParam("invoice");
        if (invoice == null || invoice.isBlank()) {
            throw new ApiException(ErrorCode.INVALID_INVOICE, "no invoice given", "pass ?invoice=<bolt11>");
        }
        if (invoice.length() > QrCodes.MAX_INVOICE_LENGTH) {
            throw new ApiException(ErrorCode.INVALID_INVOICE, "the invoice is longer than a QR code can carry ("
                    + QrCodes.MAX_INVOICE_LENGTH + " characters)", "pass the invoice from the 402 response");
        }
        try {
            Bolt11Decoder.decodeUnverified(invoice);
        } catch (InvoiceFormatException e) {
            throw new ApiException(ErrorCode.INVALID_INVOICE, "not a valid invoice: " + e.getMessage(),
                    "pass the invoice from the 402 response");
        }
        ctx.header("Cache-Control", "public, max-age=86400, immutable");
        JsonBodies.binary(ctx, "image/svg+xml", QrCodes.svg("lightning:" + invoice.strip())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** {@code POST /api/dev/pay {"invoice": "..."}}: the development node pays one of its own invoices. */
    void devPay(Context ctx) {
        if (devWallet == null) {
            throw new ApiException(ErrorCode.DEV_PAYMENTS_DISABLED,
                    "development payments exist only with the development Lightning backend",
                    "pay the invoice with a real Lightning wallet");
        }
        JsonNode body = readObject(ctx);
        String invoice = body.path("invoice").asText("");
        PaymentResult result;
        try {
            result = devWallet.pay(invoice, PayOptions.DEFAULT);
        } catch (LightningException e) {
            throw new ApiException(ErrorCode.PAYMENT_FAILED, "the development wallet could not pay: " + e.getMessage(),
                    "ask for a new invoice and pay that one");
        }
        ObjectNode out = JsonBodies.object();
        out.put("preimage", result.preimage().hex());
        out.put("payment_hash", result.preimage().hash().hex());
        out.put("fee_msat", result.feeMsat());
        JsonBodies.send(ctx, 200, out);
    }

    private static JsonNode readObject(Context ctx) {
        try {
            JsonNode node = JsonBodies.MAPPER.readTree(ctx.bodyAsBytes());
            if (node == null || !node.isObject()) {
                throw new java.io.IOException("not an object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "the request body must be a JSON object", "send application/json");
        }
    }
}
