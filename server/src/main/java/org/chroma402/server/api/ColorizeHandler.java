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
import org.chroma402.lightning.LightningException;
import org.chroma402.server.ServerConfig;
import org.chroma402.server.jobs.Job;
import org.chroma402.server.jobs.JobFailedException;
import org.chroma402.server.jobs.JobService;
import org.chroma402.server.jobs.ModelRegistry;
import org.chroma402.server.jobs.Redemption;
import org.chroma402.server.l402.ChallengeIssuer;
import org.chroma402.server.l402.IssuedChallenge;
import org.chroma402.server.l402.RedeemResult;
import org.chroma402.server.l402.TokenVerifier;
import org.chroma402.server.metrics.ServerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/l402/colorize-image}, the paid endpoint.
 *
 * <p>Without a valid credential: validate the request (400/413), check rate limit (429), load
 * (503) and the Lightning backend (503), then answer 402 with a fresh challenge. With a valid
 * credential for this exact request: colorize once and answer 200 (or 202 with a poll URL when
 * the client prefers it), as JSON or as the image. A credential a payment can cure gets a fresh
 * 402; a paid request is never refused for load.
 */
final class ColorizeHandler implements Handler {
    private static final Logger log = LoggerFactory.getLogger(ColorizeHandler.class);

    private final ServerConfig config;
    private final ModelRegistry models;
    private final TokenVerifier verifier;
    private final ChallengeIssuer issuer;
    private final JobService jobs;
    private final ChallengeRateLimiter rateLimiter;
    private final ResultBodies bodies;
    private final PublicUrls urls;
    private final ServerMetrics metrics;

    ColorizeHandler(ServerConfig config, ModelRegistry models, TokenVerifier verifier, ChallengeIssuer issuer,
            JobService jobs, ChallengeRateLimiter rateLimiter, ResultBodies bodies, PublicUrls urls, ServerMetrics metrics) {
        this.config = config;
        this.models = models;
        this.verifier = verifier;
        this.issuer = issuer;
        this.jobs = jobs;
        this.rateLimiter = rateLimiter;
        this.bodies = bodies;
        this.urls = urls;
        this.metrics = metrics;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        ColorizeRequest request = ColorizeRequest.parse(ctx.bodyAsBytes(), config.limits(), models.names());
        String authorization = ctx.header("Authorization");
        if (authorization != null && !authorization.isBlank()) {
            RedeemResult result = verifier.verify(authorization, request.digest());
            if (result instanceof RedeemResult.Granted granted) {
                if (redeem(ctx, request, granted)) {
                    return;
                }
            } else if (result instanceof RedeemResult.PaymentRequired refused) {
                log.debug("credential refused ({}): {}", refused.reason(), refused.detail());
            }
        }
        challenge(ctx, request);
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
            ctx.header("Location", poll).header("Preference-Applied", "respond-async").header("Retry-After", "1");
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
                log.error("could not send the result of job {}", redemption.jobId(), e);
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

    private void challenge(Context ctx, ColorizeRequest request) {
        ModelRegistry.Listing listing = models.listing(request.model()).orElseThrow();
        ColorizationPipeline pipeline = models.pipeline(request.model()).orElseThrow(() -> ApiException.unavailable(
                "model_unavailable", "the " + request.model() + " model is not available on this server",
                "try the other model_size, or later", 60));
        try {
            pipeline.decoder().probe(request.imageBytes());
        } catch (ImageException e) {
            throw ImageErrors.toApi(e);
        }
        long wait = rateLimiter.acquire(urls.clientAddress(ctx));
        if (wait > 0) {
            throw new ApiException(429, "rate_limited", "too many payment requests from this address",
                    "wait " + wait + " seconds before asking for another invoice").header("Retry-After", Long.toString(wait));
        }
        try {
            pipeline.decoder().decode(request.imageBytes());
        } catch (ImageException e) {
            throw ImageErrors.toApi(e);
        }
        if (pipeline.engine().isSaturated()) {
            throw ApiException.unavailable("server_busy", "the server is colorizing as many photos as it can",
                    "try again in a few seconds; you have not been charged", 5);
        }
        IssuedChallenge issued;
        try {
            issued = issuer.issue(request.model(), request.digest(), listing.priceSat() * 1000);
        } catch (LightningException e) {
            log.warn("cannot create an invoice: {}", e.getMessage());
            throw ApiException.unavailable("lightning_unavailable", "the server cannot create Lightning invoices right now",
                    "try again in a minute; you have not been charged", 30);
        }
        metrics.challengeMinted(request.model());
        L402Challenge header = issued.header();
        ctx.res().addHeader("WWW-Authenticate", header.format(L402Challenge.SCHEME_LSAT));
        ctx.res().addHeader("WWW-Authenticate", header.format(L402Challenge.SCHEME_L402));
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Error-Code", "payment_required");
        ObjectNode body = JsonBodies.object();
        body.put("error", "payment required: pay the invoice, then send the same request again with the credential");
        body.put("error_code", "payment_required");
        body.put("suggestion", "pay the invoice with any Lightning wallet, then repeat this exact request with the header "
                + "'Authorization: L402 <macaroon>:<preimage>'");
        body.put("macaroon", issued.macaroon().toBase64());
        body.put("invoice", issued.invoice());
        body.put("payment_hash", issued.paymentHash().hex());
        body.put("amount_sats", issued.amountMsat() / 1000);
        body.put("amount_msat", issued.amountMsat());
        body.put("model_size", issued.model());
        body.put("expires_at", issued.invoiceExpiresAt().toString());
        body.put("token_expires_at", issued.tokenExpiresAt().toString());
        JsonBodies.send(ctx, 402, body);
    }

    private static boolean prefersAsync(Context ctx) {
        String prefer = ctx.header("Prefer");
        return prefer != null && prefer.toLowerCase(Locale.ROOT).contains("respond-async");
    }
}
