package org.chroma402.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.chroma402.l402.bolt11.Network;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.l402.payment.PaymentChallenge;
import org.chroma402.l402.payment.PaymentReceipt;
import org.chroma402.l402.x402.LightningRequirement;
import org.chroma402.l402.x402.PaymentRequired;
import org.chroma402.l402.x402.PaymentSignature;
import org.chroma402.l402.x402.SettlementResponse;
import org.chroma402.server.gate.ChallengeRecord;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.gate.IssuedChallenge;
import org.chroma402.server.gate.PriceRule;
import org.chroma402.server.gate.RedeemResult;
import org.chroma402.server.jobs.Job;
import org.chroma402.server.jobs.JobService;
import org.chroma402.server.jobs.ModelRegistry;
import org.chroma402.server.jobs.Redemption;
import org.chroma402.server.metrics.ServerMetrics;
import org.chroma402.server.metrics.StageClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/l402/colorize-image}, the paid endpoint over HTTP: parse, then the
 * {@link ColorizeService}, then the answer: 200 with the result (or 202 with a poll URL when the
 * client prefers it), as JSON or as the image; or 402/401 with the challenges in
 * {@code WWW-Authenticate} and in the body, and, with x402 on, in {@code PAYMENT-REQUIRED}.
 */
final class ColorizeHandler implements Handler {
    private static final Logger log = LoggerFactory.getLogger(ColorizeHandler.class);
    /** How often a client should poll a running job, as the public API advises. */
    static final long POLL_INTERVAL_MS = 1000;

    private final ServerConfig config;
    private final ModelRegistry models;
    private final ColorizeService service;
    private final ResultBodies bodies;
    private final PublicUrls urls;
    private final ServerMetrics metrics;
    private final Clock clock;

    ColorizeHandler(ServerConfig config, ModelRegistry models, ColorizeService service, ResultBodies bodies,
            PublicUrls urls, ServerMetrics metrics, Clock clock) {
        this.config = config;
        this.models = models;
        this.service = service;
        this.bodies = bodies;
        this.urls = urls;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        StageClock laps = new StageClock();
        byte[] body = ctx.bodyAsBytes();
        laps.lap("body");
        ColorizeRequest request = ColorizeRequest.parse(body, config.limits().image(), models.names(), laps);
        ColorizeService.Outcome outcome = service.colorize(request, ctx.header("Authorization"),
                config.payments().x402() ? ctx.header(PaymentSignature.HEADER) : null, urls.clientKey(ctx));
        if (outcome instanceof ColorizeService.Outcome.Paid paid) {
            answerPaid(ctx, paid);
        } else if (outcome instanceof ColorizeService.Outcome.PaymentRequired required) {
            // Probe, validation, invoice, token and database were timed where they ran.
            laps.skip();
            answerChallenge(ctx, required, urls.base(ctx) + ctx.path());
            laps.lap("response");
            laps.report(metrics::challengeStage);
        }
    }

    private void answerPaid(Context ctx, ColorizeService.Outcome.Paid paid) {
        if (paid.granted().paymentChallengeId() != null) {
            ctx.header(PaymentReceipt.HEADER, receipt(paid.granted(), clock).encode());
        }
        if (paid.byX402()) {
            settlement(paid.granted().challenge(), clock).ifPresent(r -> ctx.header(SettlementResponse.HEADER, r.encode()));
        }
        Redemption redemption = paid.redemption();
        CompletableFuture<Job> result = redemption.result();
        if (prefersAsync(ctx) && !result.isDone()) {
            String poll = urls.base(ctx) + "/api/l402/jobs/" + redemption.jobId();
            ObjectNode body = JsonBodies.object();
            body.put("job_id", redemption.jobId());
            body.put("status", "running");
            body.put("poll_url", poll);
            body.put("poll_interval_ms", POLL_INTERVAL_MS);
            ctx.header("Location", poll).header("Preference-Applied", "respond-async").header("Retry-After", "1")
                    .header("X-Job-Id", redemption.jobId()).header("X-Poll-Url", poll)
                    .header("X-Poll-Interval-Ms", Long.toString(POLL_INTERVAL_MS));
            JsonBodies.send(ctx, 202, body);
            return;
        }
        ctx.future(() -> result.handle((job, error) -> {
            try {
                if (error != null) {
                    throw ColorizeService.failed(error);
                }
                bodies.send(ctx, job);
            } catch (ApiException e) {
                Routes.sendError(ctx, e, metrics);
            } catch (Exception e) {
                log.error("could not send the result of job {}", JobService.logId(redemption.jobId()), e);
                Routes.sendError(ctx, Routes.internal(), metrics);
            }
            return null;
        }));
    }

    /** The Payment scheme's receipt for a request it paid: the payment hash is the reference. */
    static PaymentReceipt receipt(RedeemResult.Granted granted, Clock clock) {
        return new PaymentReceipt(PaymentChallenge.METHOD_LIGHTNING,
                DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)),
                granted.challenge().paymentHash().hex(), granted.paymentChallengeId());
    }

    /** x402's {@code PAYMENT-RESPONSE} for a request a paid invoice bought: the invoice names the payment. */
    static Optional<SettlementResponse> settlement(ChallengeRecord challenge, Clock clock) {
        return Network.ofInvoice(challenge.bolt11()).map(network -> new SettlementResponse(challenge.bolt11(),
                LightningRequirement.caip2(network), clock.instant().getEpochSecond()));
    }

    /**
     * x402's {@code PAYMENT-REQUIRED} for a challenge: the same invoice as the only entry of
     * {@code accepts}, its amount in millisatoshis, payable until the invoice expires.
     */
    static Optional<PaymentRequired> x402Offer(IssuedChallenge issued, CredentialRefusals.Refusal refusal, String url, Clock clock) {
        long timeout = Math.max(1, Duration.between(clock.instant(), issued.invoiceExpiresAt()).toSeconds());
        return Network.ofInvoice(issued.invoice()).map(network -> new PaymentRequired(refusal.error(),
                new PaymentRequired.Resource(url, "Chroma402: colorize one photo (" + issued.model() + ")", "application/json"),
                List.of(LightningRequirement.of(network, issued.amountMsat(), timeout, issued.invoice()))));
    }

    private void answerChallenge(Context ctx, ColorizeService.Outcome.PaymentRequired required, String url) {
        IssuedChallenge issued = required.challenge();
        CredentialRefusals.Refusal refusal = required.refusal();
        challengeHeaders(issued, config.payments()).forEach(h -> ctx.res().addHeader("WWW-Authenticate", h));
        if (config.payments().x402()) {
            x402Offer(issued, refusal, url, clock).ifPresent(offer -> ctx.header(PaymentRequired.HEADER, offer.encode()));
        }
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Error-Code", refusal.code());
        JsonBodies.send(ctx, refusal.status(), challengeBody(issued, required.price(), refusal, config.payments()));
    }

    /**
     * The 402 body: the refusal's reason and the challenge's facts, for clients that do not read
     * headers, with the price's reasons ({@link PriceRule}) so a client can see why it is above the list price.
     */
    static ObjectNode challengeBody(IssuedChallenge issued, PriceRule.Price price, CredentialRefusals.Refusal refusal,
            ServerConfig.Payments payments) {
        ObjectNode body = JsonBodies.object();
        body.put("error", refusal.error());
        body.put("error_code", refusal.code());
        body.put("suggestion", refusal.suggestion());
        body.put("macaroon", issued.macaroon().toBase64());
        body.put("invoice", issued.invoice());
        body.put("payment_hash", issued.paymentHash().hex());
        body.put("amount_sats", issued.amountMsat() / 1000);
        body.put("amount_msat", issued.amountMsat());
        body.set("price_factors", priceFactors(price));
        body.put("model_size", issued.model());
        body.put("expires_at", issued.invoiceExpiresAt().toString());
        body.put("token_expires_at", issued.tokenExpiresAt().toString());
        if (payments.paymentScheme()) {
            // The Payment challenge to echo in a credential, for clients that read bodies, not headers.
            ObjectNode payment = body.putObject("payment_challenge");
            issued.payment().parameters().forEach(payment::put);
        }
        return body;
    }

    /** Why a request costs what it does: {@code amount_sats = base_sats × multiple}. */
    static ObjectNode priceFactors(PriceRule.Price price) {
        ObjectNode factors = JsonBodies.object();
        factors.put("base_sats", price.baseSat());
        factors.put("input_size", price.renderSize());
        factors.put("render_extra", price.renderExtra());
        // Exact, not rounded: a photo just past a step must be seen to be past it.
        factors.put("megapixels", price.pixels() / 1_000_000.0);
        factors.put("photo_extra", price.photoExtra());
        factors.put("multiple", price.multiple());
        return factors;
    }

    /**
     * The {@code WWW-Authenticate} values of a 402, in order: lnget reads only the first and needs
     * {@code macaroon="…", invoice="…"} there, Alby's fetch402 routes on the first scheme, and
     * fetchWithMpp finds the Payment challenge among the rest.
     */
    static List<String> challengeHeaders(IssuedChallenge issued, ServerConfig.Payments payments) {
        List<String> headers = new ArrayList<>();
        if (payments.l402()) {
            L402Challenge l402 = issued.header();
            if (payments.l402Header() != ServerConfig.Payments.L402Header.VERSIONED) {
                headers.add(l402.format(L402Challenge.SCHEME_LSAT));
                headers.add(l402.format(L402Challenge.SCHEME_L402));
            }
            if (payments.l402Header() != ServerConfig.Payments.L402Header.CLASSIC) {
                headers.add(l402.formatVersioned());
            }
        }
        if (payments.paymentScheme()) {
            headers.add(issued.payment().format());
        }
        return headers;
    }

    private static boolean prefersAsync(Context ctx) {
        String prefer = ctx.header("Prefer");
        return prefer != null && prefer.toLowerCase(Locale.ROOT).contains("respond-async");
    }
}
