package org.chroma402.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.chroma402.colorize.image.ImageException;
import org.chroma402.colorize.pipeline.ColorizationPipeline;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.gate.ChallengeResult;
import org.chroma402.server.gate.IssuedChallenge;
import org.chroma402.server.gate.PaymentGate;
import org.chroma402.server.gate.RedeemResult;
import org.chroma402.server.gate.UnpaidRequest;
import org.chroma402.server.jobs.Job;
import org.chroma402.server.jobs.JobFailedException;
import org.chroma402.server.jobs.JobService;
import org.chroma402.server.jobs.ModelRegistry;
import org.chroma402.server.jobs.Redemption;
import org.chroma402.server.metrics.ServerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/l402/colorize-image}, the paid endpoint: parse → gate → redeem.
 *
 * <p>The request is parsed and its image header checked (400/413). The {@link PaymentGate}
 * judges the credential; a credential that buys this request is redeemed: colorized once and
 * answered 200 (or 202 with a poll URL when the client prefers it), as JSON or as the image. Any
 * other request gets a fresh challenge (402) from the gate, or the gate's reason for making none
 * (429, 503): never an invoice for a request that cannot be served, and a paid request is never
 * refused for load.
 */
final class ColorizeHandler implements Handler {
    private static final Logger log = LoggerFactory.getLogger(ColorizeHandler.class);
    /** How often a client should poll a running job, as the public API advises. */
    static final long POLL_INTERVAL_MS = 1000;

    private final ServerConfig config;
    private final ModelRegistry models;
    private final PaymentGate gate;
    private final JobService jobs;
    private final ResultBodies bodies;
    private final PublicUrls urls;
    private final ServerMetrics metrics;

    ColorizeHandler(ServerConfig config, ModelRegistry models, PaymentGate gate, JobService jobs, ResultBodies bodies,
            PublicUrls urls, ServerMetrics metrics) {
        this.config = config;
        this.models = models;
        this.gate = gate;
        this.jobs = jobs;
        this.bodies = bodies;
        this.urls = urls;
        this.metrics = metrics;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        ColorizeRequest request = ColorizeRequest.parse(ctx.bodyAsBytes(), config.limits().image(), models.names());
        String authorization = ctx.header("Authorization");
        RedeemResult.RejectReason why = RedeemResult.RejectReason.NO_CREDENTIAL;
        if (authorization != null && !authorization.isBlank()) {
            RedeemResult result = gate.verify(authorization, request.digest());
            if (result instanceof RedeemResult.Granted granted) {
                if (redeem(ctx, request, granted)) {
                    return;
                }
                why = RedeemResult.RejectReason.EXPIRED;
            } else if (result instanceof RedeemResult.PaymentRequired refused) {
                log.debug("credential refused ({}): {}", refused.reason(), refused.detail());
                why = refused.reason();
            }
        }
        challenge(ctx, request, CredentialRefusals.of(why));
    }

    /** Serves a paid request; false when the token has expired and bought nothing yet. */
    private boolean redeem(Context ctx, ColorizeRequest request, RedeemResult.Granted granted) throws Exception {
        if (granted.expired()) {
            Optional<Job> existing = jobs.existing(granted.challenge().paymentHash());
            if (existing.isEmpty()) {
                log.debug("credential expired before it was redeemed");
                return false;
            }
        }
        Redemption redemption = jobs.redeem(granted.challenge(), request.imageBytes());
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
            return true;
        }
        ctx.future(() -> result.handle((job, error) -> {
            try {
                if (error != null) {
                    throw failed(error);
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
        return true;
    }

    static ApiException failed(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        String message = cause instanceof JobFailedException ? cause.getMessage() : "the colorization failed";
        return new ApiException(500, "colorization_failed", "colorization failed: " + message,
                "send the same request with the same credential again: you will not be charged twice");
    }

    private void challenge(Context ctx, ColorizeRequest request, CredentialRefusals.Refusal refusal) {
        ColorizationPipeline pipeline = models.pipeline(request.model()).orElseThrow(() -> ApiException.unavailable(
                "model_unavailable", "the " + request.model() + " model is not available on this server",
                "try the other model_size, or later", 60));
        try {
            pipeline.probe(request.imageBytes());
        } catch (ImageException e) {
            throw ImageErrors.toApi(e);
        }
        long priceMsat = models.priceMsat(request.model()).orElseThrow();
        ChallengeResult result = gate.challenge(new UnpaidRequest(urls.clientAddress(ctx), request.model(),
                request.digest(), priceMsat, () -> {
                    try {
                        pipeline.validate(request.imageBytes(), config.limits().unpaidDecodeTime());
                    } catch (ImageException e) {
                        throw ImageErrors.toApi(e);
                    }
                }));
        if (result instanceof ChallengeResult.Refused refused) {
            throw refusal(refused);
        }
        IssuedChallenge issued = ((ChallengeResult.Issued) result).challenge();
        metrics.challengeMinted(request.model());
        L402Challenge header = issued.header();
        ctx.res().addHeader("WWW-Authenticate", header.format(L402Challenge.SCHEME_LSAT));
        ctx.res().addHeader("WWW-Authenticate", header.format(L402Challenge.SCHEME_L402));
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Error-Code", refusal.code());
        ObjectNode body = JsonBodies.object();
        body.put("error", refusal.error());
        body.put("error_code", refusal.code());
        body.put("suggestion", refusal.suggestion());
        body.put("macaroon", issued.macaroon().toBase64());
        body.put("invoice", issued.invoice());
        body.put("payment_hash", issued.paymentHash().hex());
        body.put("amount_sats", issued.amountMsat() / 1000);
        body.put("amount_msat", issued.amountMsat());
        body.put("model_size", issued.model());
        body.put("expires_at", issued.invoiceExpiresAt().toString());
        body.put("token_expires_at", issued.tokenExpiresAt().toString());
        JsonBodies.send(ctx, refusal.status(), body);
    }

    private static ApiException refusal(ChallengeResult.Refused refused) {
        return switch (refused.cause()) {
            case RATE_LIMITED -> new ApiException(429, "rate_limited", "too many payment requests from this address",
                    "wait " + refused.retryAfterSeconds() + " seconds before asking for another invoice")
                    .header("Retry-After", Long.toString(refused.retryAfterSeconds()));
            case BUSY -> ApiException.unavailable("server_busy", "the server is colorizing as many photos as it can",
                    "try again in a few seconds; you have not been charged", refused.retryAfterSeconds());
            case LIGHTNING_UNAVAILABLE -> ApiException.unavailable("lightning_unavailable",
                    "the server cannot create Lightning invoices right now",
                    "try again in a minute; you have not been charged", refused.retryAfterSeconds());
        };
    }

    private static boolean prefersAsync(Context ctx) {
        String prefer = ctx.header("Prefer");
        return prefer != null && prefer.toLowerCase(Locale.ROOT).contains("respond-async");
    }
}
