package org.chroma402.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.BooleanSupplier;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.LightningException;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.gate.PriceRule;
import org.chroma402.server.jobs.ModelRegistry;
import org.chroma402.server.metrics.ServerMetrics;

/** The free endpoints: models and prices, health, readiness, metrics, the OpenAPI document, L402 discovery. */
final class InfoHandlers {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InfoHandlers.class);
    private static final java.util.regex.Pattern URL = java.util.regex.Pattern.compile(
            "(?i)\\b(?:https?|wss?|nostr\\+walletconnect)://\\S+|\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d+)?\\b");
    private final ServerConfig config;
    private final ModelRegistry models;
    private final BooleanSupplier databaseHealthy;
    private final InvoiceBackend backend;
    private final boolean developmentPayments;
    private final ServerMetrics metrics;
    private final PublicUrls urls;
    private final byte[] openApi;
    private volatile String lastLightningFailure;
    private final BooleanSupplier draining;
    private final java.util.function.Supplier<java.util.Optional<String>> storageProblem;
    private volatile String lastStorageFailure;
    private static final String DESCRIPTION =
            "Colorization of black-and-white photos (DDColor), paid per image over Lightning.";

    InfoHandlers(ServerConfig config, ModelRegistry models, BooleanSupplier databaseHealthy, InvoiceBackend backend,
            boolean developmentPayments, ServerMetrics metrics, PublicUrls urls, BooleanSupplier draining,
            java.util.function.Supplier<java.util.Optional<String>> storageProblem) {
        this.storageProblem = storageProblem;
        this.draining = draining;
        this.config = config;
        this.models = models;
        this.databaseHealthy = databaseHealthy;
        this.backend = backend;
        this.developmentPayments = developmentPayments;
        this.metrics = metrics;
        this.urls = urls;
        try (InputStream in = InfoHandlers.class.getResourceAsStream("/openapi.json")) {
            this.openApi = in == null ? "{}".getBytes() : in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("the OpenAPI document is missing from the jar", e);
        }
    }

    void models(Context ctx) {
        ObjectNode body = JsonBodies.object();
        body.set("models", modelList(models));
        body.put("currency", "sat");
        body.set("price_rule", priceRule());
        body.put("invoice_expiry_seconds", config.tokens().invoiceExpiry().toSeconds());
        body.put("result_retention_seconds", config.results().retention().toSeconds());
        body.put("max_image_bytes", config.limits().image().maxEncodedBytes());
        body.put("max_megapixels", config.limits().image().maxMegapixels());
        body.put("development_payments", developmentPayments);
        JsonBodies.send(ctx, 200, body);
    }

    /**
     * The public price rule ({@link PriceRule}): each model's {@code price_sats} is the price of the
     * default request, and larger renders and photos cost a whole number of times more. A client
     * can compute a request's price from this; the 402 says it, with its {@code price_factors}.
     */
    static ObjectNode priceRule() {
        ObjectNode rule = JsonBodies.object();
        rule.put("price", PriceRule.FORMULA);
        ArrayNode bands = rule.putArray("render_extra");
        for (PriceRule.RenderBand band : PriceRule.RENDER_BANDS) {
            bands.addObject().put("input_size_up_to", band.upTo()).put("extra", band.extra());
        }
        rule.put("photo_extra_megapixels_step", PriceRule.MEGAPIXELS_PER_STEP);
        rule.put("description", "price_sats is the price of a render at up to 512 of a photo of up to "
                + PriceRule.MEGAPIXELS_PER_STEP + " megapixels; render_extra is set by the size the job renders at "
                + "(input_size, or the model's own), photo_extra is one for every started "
                + PriceRule.MEGAPIXELS_PER_STEP + " megapixels beyond the first " + PriceRule.MEGAPIXELS_PER_STEP
                + "; the 402 gives a request's amount_sats and its price_factors");
        return rule;
    }

    /** The models on sale, as {@code GET /api/l402/models} and the MCP {@code list_models} tool list them. */
    static ArrayNode modelList(ModelRegistry models) {
        ArrayNode list = JsonBodies.MAPPER.createArrayNode();
        for (ModelRegistry.Listing l : models.listings()) {
            ObjectNode m = list.addObject();
            m.put("model_size", l.name());
            m.put("description", l.description());
            m.put("price_sats", l.priceSat());
            if (l.inputSize() != null) {
                m.put("input_size", l.inputSize());
            } else {
                m.putNull("input_size");
            }
            m.put("available", l.available());
            if (l.official() != null) {
                m.put("official", l.official());
            }
            if (!l.available()) {
                m.put("unavailable_reason", l.unavailableReason());
            }
        }
        return list;
    }

    void health(Context ctx) {
        ObjectNode body = JsonBodies.object();
        boolean db = databaseHealthy.getAsBoolean();
        body.put("status", db ? "ok" : "degraded");
        body.put("database", db ? "ok" : "unreachable");
        JsonBodies.send(ctx, db ? 200 : 503, body);
    }

    void ready(Context ctx) {
        ObjectNode body = JsonBodies.object();
        boolean db = databaseHealthy.getAsBoolean();
        boolean model = models.anyAvailable();
        String lightning;
        try {
            backend.checkHealth();
            lightning = "ok";
        } catch (LightningException e) {
            // The full reason (with the node's address) is for the operator's log, not for anyone asking.
            String reason = e.getMessage() == null ? "unreachable" : e.getMessage();
            if (!reason.equals(lastLightningFailure)) {
                log.warn("Lightning backend {} is not ready: {}", backend.name(), reason);
                lastLightningFailure = reason;
            }
            lightning = "unavailable: " + URL.matcher(reason).replaceAll("<node>");
        }
        if ("ok".equals(lightning)) {
            lastLightningFailure = null;
        }
        boolean stopping = draining.getAsBoolean();
        java.util.Optional<String> storage = storageProblem.get();
        if (storage.isPresent() && !storage.get().equals(lastStorageFailure)) {
            log.warn("result storage is not ready: {}", storage.get());
        }
        lastStorageFailure = storage.orElse(null);
        boolean ready = db && model && "ok".equals(lightning) && storage.isEmpty() && !stopping;
        body.put("status", ready ? "ready" : stopping ? "stopping" : "not ready");
        body.put("database", db ? "ok" : "unreachable");
        body.put("model", model ? "loaded" : "no model can run now");
        ObjectNode perModel = body.putObject("models");
        for (ModelRegistry.Listing l : models.listings()) {
            perModel.put(l.name(), l.available() ? "loaded" : l.unavailableReason() == null ? "unavailable" : l.unavailableReason());
        }
        body.put("lightning", lightning);
        body.put("lightning_backend", backend.name());
        // Which store, not its address: the details are in the operator's log.
        body.put("storage", storage.isEmpty() ? "ok" : "unavailable");
        JsonBodies.send(ctx, ready ? 200 : 503, body);
    }

    void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    /** {@code /llms.txt}: how an agent (or a person with curl) uses this server, in plain text. */
    void llms(Context ctx) {
        String base = urls.base(ctx);
        StringBuilder prices = new StringBuilder();
        for (ModelRegistry.Listing l : models.listings()) {
            prices.append("- ").append(l.name()).append(": ").append(l.priceSat()).append(" sats")
                    .append(l.available() ? "" : " (not available right now)").append('\n');
        }
        String text = """
                # Chroma402

                > Colorizes black-and-white photos (DDColor), paid per image over Lightning with L402. No account.

                ## How to buy one colorization
                1. POST %1$s/api/l402/colorize-image with Content-Type: application/json and the body
                   {"image": "<base64 of the photo>", "model_size": "large"}.
                2. The answer is 402 Payment Required. Its JSON (and the WWW-Authenticate header) has a
                   "macaroon" and a BOLT11 "invoice" for "amount_sats".
                3. Pay the invoice with a Lightning wallet; the wallet gives you the preimage (64 hex characters).
                4. POST the identical body again with the header Authorization: L402 <macaroon>:<preimage>.
                   The answer is 200 with "image_url" (download it before "expires_at"). Sending the same paid
                   request again returns the same result without paying again.
                   Add Accept: image/png to get the image itself; Prefer: respond-async to get 202 and a poll_url.
                   Instead of L402 you may use the HTTP Payment scheme (the 402's "Payment" challenge, also in the
                   body as "payment_challenge"): send Authorization: Payment <base64url of
                   {"challenge": {<the challenge's parameters>}, "payload": {"preimage": "<hex>"}}>.

                ## For agents (MCP)
                POST JSON-RPC to %1$s/api/mcp (MCP Streamable HTTP). Tools: list_models; colorize_image
                (image as base64, model_size; returns the invoice and macaroon first, then, called again
                with macaroon and preimage, the result URL and with return_image the image); get_job.

                ## Prices
                %2$s
                These are the prices of a render at up to 512 (input_size) of a photo of up to 12 megapixels.
                Larger work costs a whole multiple: price × (1 + render_extra + photo_extra), where render_extra
                is 1 up to input_size 768 and 3 up to 1024, and photo_extra is one per started 12 megapixels
                beyond the first 12. The 402 says the request's amount_sats and its price_factors.
                ## Errors
                Errors are JSON {"error", "error_code", "suggestion"}. A refused credential comes with a fresh
                402 and an error_code saying why (wrong_preimage, unpaid, expired, other_request, unknown_key;
                malformed is 401). 400/413 mean the photo is refused and nothing is charged; 429 and 503 carry
                Retry-After and come before any invoice. Every error_code: %1$s/api/error-codes

                ## More
                - OpenAPI: %1$s/api/openapi.json
                - Models and limits: %1$s/api/l402/models
                - L402 discovery: %1$s/.well-known/l402.json and %1$s/.well-known/l402-services
                """.formatted(base, prices);
        ctx.contentType("text/plain; charset=utf-8").result(text);
    }

    void openApi(Context ctx) {
        ctx.contentType("application/json").result(openApi);
    }

    /** {@code /.well-known/l402.json}: discovery for agent wallets, what this server sells and how. */
    void wellKnown(Context ctx) {
        ObjectNode body = JsonBodies.object();
        body.put("version", "1");
        body.put("name", "Chroma402");
        body.put("description", DESCRIPTION);
        ArrayNode endpoints = body.putArray("endpoints");
        endpoints.add(colorizeService(ctx));
        body.put("openapi", urls.base(ctx) + "/api/openapi.json");
        body.put("mcp", urls.base(ctx) + "/api/mcp");
        body.set("schemes", schemes());
        JsonBodies.send(ctx, 200, body);
    }

    /**
     * {@code /.well-known/l402-services}: the services list the public colorization API publishes,
     * one entry per paid endpoint, with prices, schemes and where the documentation is.
     */
    void l402Services(Context ctx) {
        ObjectNode body = JsonBodies.object();
        body.put("provider", "Chroma402");
        body.put("description", DESCRIPTION);
        body.putArray("services").add(colorizeService(ctx));
        ObjectNode docs = body.putObject("documentation");
        docs.put("openapi", urls.base(ctx) + "/api/openapi.json");
        docs.put("llms_txt", urls.base(ctx) + "/llms.txt");
        docs.put("error_codes", urls.base(ctx) + "/api/error-codes");
        docs.put("mcp", urls.base(ctx) + "/api/mcp");
        JsonBodies.send(ctx, 200, body);
    }

    /** {@code /api/error-codes}: every error_code the API answers, straight from {@link ErrorCode}. */
    void errorCodes(Context ctx) {
        ObjectNode body = JsonBodies.object();
        ArrayNode list = body.putArray("error_codes");
        for (ErrorCode code : ErrorCode.values()) {
            ObjectNode e = list.addObject();
            e.put("error_code", code.code());
            e.put("http_status", code.status());
            e.put("meaning", code.meaning());
            e.put("suggestion", code.suggestion());
            e.put("fresh_challenge", code.status() == 402 || code == ErrorCode.MALFORMED);
        }
        JsonBodies.send(ctx, 200, body);
    }

    private ObjectNode colorizeService(Context ctx) {
        ObjectNode e = JsonBodies.object();
        e.put("name", "colorize-image");
        e.put("method", "POST");
        e.put("url", urls.base(ctx) + "/api/l402/colorize-image");
        e.put("content_type", "application/json");
        e.put("description", "Send {\"image\": \"<base64>\", \"model_size\": \"large|tiny\"}; pay the 402 invoice; "
                + "send the same body again with Authorization: L402 <macaroon>:<preimage> (or the Payment credential).");
        ObjectNode pricing = e.putObject("pricing");
        for (ModelRegistry.Listing l : models.listings()) {
            pricing.put(l.name(), l.priceSat());
        }
        e.put("currency", "sat");
        e.set("schemes", schemes());
        return e;
    }

    private ArrayNode schemes() {
        ArrayNode schemes = JsonBodies.MAPPER.createArrayNode();
        if (config.payments().l402()) {
            schemes.add("L402").add("LSAT");
        }
        if (config.payments().paymentScheme()) {
            schemes.add("Payment");
        }
        if (config.payments().x402()) {
            schemes.add("x402");
        }
        return schemes;
    }
}
