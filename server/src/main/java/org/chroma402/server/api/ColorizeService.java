package org.chroma402.server.api;

import java.util.Optional;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageHeader;
import org.chroma402.colorize.image.ImageException;
import org.chroma402.colorize.pipeline.ColorizationPipeline;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.gate.ChallengeResult;
import org.chroma402.server.gate.IssuedChallenge;
import org.chroma402.server.gate.PaymentGate;
import org.chroma402.server.gate.PriceRule;
import org.chroma402.server.gate.RedeemResult;
import org.chroma402.server.gate.UnpaidRequest;
import org.chroma402.server.jobs.Job;
import org.chroma402.server.jobs.JobService;
import org.chroma402.server.jobs.ModelRegistry;
import org.chroma402.server.jobs.Redemption;
import org.chroma402.server.metrics.ServerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chroma402.lightning.LightningException;

/**
 * What the paid endpoint does, whichever door a request came in by (HTTP, MCP): the gate judges
 * the credential; one that buys the request is redeemed (colorized once); anything else gets a
 * fresh challenge, or the gate's reason for making none ({@link ApiException}: 429, 503), after
 * the photo passed the unpaid checks. Never an invoice for a request that cannot be served.
 */
final class ColorizeService {
    private static final Logger log = LoggerFactory.getLogger(ColorizeService.class);

    /** What a request got: a started (or finished) paid job, or a challenge to pay. */
    sealed interface Outcome {
        /**
         * The credential bought the request; {@code paymentChallengeId} is set when the Payment scheme
         * paid, {@code byX402} when an x402 {@code PAYMENT-SIGNATURE} did.
         */
        record Paid(Redemption redemption, RedeemResult.Granted granted, boolean byX402) implements Outcome {
            Paid(Redemption redemption, RedeemResult.Granted granted) {
                this(redemption, granted, false);
            }
        }

        /** A fresh challenge, what it costs and why, and the reason the credential (if any) bought nothing. */
        record PaymentRequired(IssuedChallenge challenge, PriceRule.Price price, CredentialRefusals.Refusal refusal)
                implements Outcome {
        }
    }

    private final ServerConfig config;
    private final ModelRegistry models;
    private final PaymentGate gate;
    private final JobService jobs;
    private final ServerMetrics metrics;
    private final VerifiedPhotos verified;
    private final DecodedPhotos decoded;

    /**
     * @param verified photos that passed the unpaid check lately, not checked again
     * @param decoded where photos the unpaid check decoded whole are left for their paid job
     */
    ColorizeService(ServerConfig config, ModelRegistry models, PaymentGate gate, JobService jobs, ServerMetrics metrics,
            VerifiedPhotos verified, DecodedPhotos decoded) {
        this.decoded = decoded;
        this.verified = verified;
        this.config = config;
        this.models = models;
        this.gate = gate;
        this.jobs = jobs;
        this.metrics = metrics;
    }

    /** @param authorization an {@code Authorization} value, or null */
    Outcome colorize(ColorizeRequest request, String authorization, String clientAddress) {
        return colorize(request, authorization, null, clientAddress);
    }

    /**
     * @param authorization an {@code Authorization} value, or null
     * @param paymentSignature an x402 {@code PAYMENT-SIGNATURE} value, or null: judged when the
     *     {@code Authorization} header holds no credential of an accepted scheme
     */
    Outcome colorize(ColorizeRequest request, String authorization, String paymentSignature, String clientAddress) {
        RedeemResult.RejectReason why = RedeemResult.RejectReason.NO_CREDENTIAL;
        RedeemResult result = null;
        boolean byX402 = false;
        if (authorization != null && !authorization.isBlank()) {
            result = gate.verify(authorization, request.digest());
        }
        if (paymentSignature != null && !paymentSignature.isBlank() && (result == null
                || result instanceof RedeemResult.PaymentRequired r && r.reason() == RedeemResult.RejectReason.NO_CREDENTIAL)) {
            result = verifyX402(paymentSignature, request.digest());
            byX402 = true;
        }
        if (result instanceof RedeemResult.Granted granted) {
            Optional<Redemption> redeemed = redeem(request, granted, clientAddress);
            if (redeemed.isPresent()) {
                return new Outcome.Paid(redeemed.get(), granted, byX402);
            }
            why = RedeemResult.RejectReason.EXPIRED;
        } else if (result instanceof RedeemResult.PaymentRequired refused) {
            log.debug("credential refused ({}): {}", refused.reason(), refused.detail());
            why = refused.reason();
        }
        Quote quote = challenge(request, clientAddress);
        return new Outcome.PaymentRequired(quote.challenge(), quote.price(), CredentialRefusals.of(why, byX402));
    }

    /** An x402 payment; a node that cannot say whether it was paid is a "try again", never a fresh invoice. */
    private RedeemResult verifyX402(String paymentSignature, String requestDigest) {
        try {
            return gate.verifyX402(paymentSignature, requestDigest);
        } catch (LightningException e) {
            log.warn("cannot check an x402 payment with the Lightning node: {}", e.getMessage());
            throw ApiException.unavailable(ErrorCode.LIGHTNING_UNAVAILABLE,
                    "the server cannot ask its Lightning node whether the invoice was paid right now",
                    "send the same request with the same PAYMENT-SIGNATURE again shortly: you will not be charged twice", 10);
        }
    }

    /** The paid job; empty when the token has expired and bought nothing yet. */
    private Optional<Redemption> redeem(ColorizeRequest request, RedeemResult.Granted granted, String clientAddress) {
        if (granted.expired()) {
            Optional<Job> existing = jobs.existing(granted.challenge().paymentHash());
            if (existing.isEmpty()) {
                log.debug("credential expired before it was redeemed");
                return Optional.empty();
            }
        }
        // The strength comes from the request: the token's digest binds it, so it is the one paid for.
        return Optional.of(jobs.redeem(granted.challenge(), request.imageBytes(),
                decoded.take(request.imageSha256()).orElse(null), clientAddress, request.saturationPercent()));
    }

    /**
     * What to do when a model cannot be sold now: another model only if one is on sale and can
     * run now (suggesting one that is unavailable too only sends the client into a second 503).
     */
    private String unavailableSuggestion(String requested, String when) {
        Optional<String> other = models.listings().stream().map(ModelRegistry.Listing::name).filter(name -> !name.equals(requested))
                .filter(name -> models.pipeline(name).map(p -> p.engine().isReady()).orElse(false)).findFirst();
        return other.map(name -> "send model_size \"" + name + "\" (on sale now), or try again " + when)
                .orElse("no model is ready on this server now: try again " + when) + "; you have not been charged";
    }

    /** A challenge and the price it was issued at. */
    private record Quote(IssuedChallenge challenge, PriceRule.Price price) {
    }

    private Quote challenge(ColorizeRequest request, String clientAddress) {
        ColorizationPipeline pipeline = models.pipeline(request.model()).orElseThrow(() -> ApiException.unavailable(
                ErrorCode.MODEL_UNAVAILABLE, "the " + request.model() + " model is not available on this server"
                        + models.listing(request.model()).map(l -> l.unavailableReason()).filter(r -> r != null).map(r -> ": " + r).orElse(""),
                unavailableSuggestion(request.model(), "later"), 60));
        if (!pipeline.engine().isReady()) {
            throw ApiException.unavailable(ErrorCode.MODEL_UNAVAILABLE, "the " + request.model() + " model cannot run right now"
                    + pipeline.engine().whyNotReady().map(why -> ": " + why).orElse(""),
                    unavailableSuggestion(request.model(), "shortly"), 10);
        }
        if (request.inputSize() != null && !pipeline.engine().info().accepts(request.inputSize())) {
            throw new ApiException(ErrorCode.INVALID_INPUT_SIZE, "the " + request.model() + " model on this server renders only at "
                    + pipeline.engine().info().inputSize(), "leave input_size out, or send " + pipeline.engine().info().inputSize());
        }
        long probeStart = System.nanoTime();
        ImageHeader header;
        try {
            header = pipeline.probe(request.imageBytes());
        } catch (ImageException e) {
            throw ImageErrors.toApi(e);
        }
        metrics.challengeStage("probe", System.nanoTime() - probeStart);
        // Priced by the work it asks for: the size it renders at and the photo's pixels, both known
        // now, before the invoice. The digest binds both (input_size and the image bytes), so a token
        // bought at a lower price never buys this request.
        int renderSize = request.inputSize() != null ? request.inputSize() : pipeline.engine().info().inputSize();
        PriceRule.Price price = PriceRule.price(models.priceMsat(request.model()).orElseThrow() / 1000, renderSize,
                header.pixels());
        ChallengeResult result = gate.challenge(new UnpaidRequest(clientAddress, request.model(), request.inputSize(), request.digest(),
                price.msat(), () -> {
                    if (verified.contains(request.imageSha256())) {
                        return;
                    }
                    long t0 = System.nanoTime();
                    try {
                        ImageDecoder.Verified checked = pipeline.validateKeeping(request.imageBytes(), config.limits().unpaidDecodeTime());
                        if (checked.image() != null) {
                            decoded.put(request.imageSha256(), checked.image());
                        }
                    } catch (ImageException e) {
                        throw ImageErrors.toApi(e);
                    }
                    metrics.challengeStage("validation", System.nanoTime() - t0);
                    verified.add(request.imageSha256());
                }));
        if (result instanceof ChallengeResult.Refused refused) {
            throw refusal(refused);
        }
        metrics.challengeMinted(request.model());
        return new Quote(((ChallengeResult.Issued) result).challenge(), price);
    }

    static ApiException failed(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof org.chroma402.server.jobs.JobFailedException failed && failed.storageUnavailable()) {
            return ApiException.unavailable(ErrorCode.STORAGE_UNAVAILABLE, "paid, but the result cannot be stored right now",
                    "send the same request with the same credential again shortly: your payment is kept", 10);
        }
        if (cause instanceof org.chroma402.server.jobs.JobFailedException failed && failed.shuttingDown()) {
            // A planned stop, not a failure: the job is handed back and finishes elsewhere or on the next start.
            return ApiException.unavailable(ErrorCode.SHUTTING_DOWN, "this server is stopping; your paid job is handed back",
                    "send the same request with the same credential again in a moment: you will not be charged twice", 5);
        }
        if (cause instanceof org.chroma402.server.jobs.JobFailedException failed && failed.abandoned()) {
            return new ApiException(ErrorCode.COLORIZATION_ABANDONED, "colorization abandoned: " + failed.getMessage(),
                    ErrorCode.COLORIZATION_ABANDONED.suggestion());
        }
        String message = cause instanceof org.chroma402.server.jobs.JobFailedException ? cause.getMessage()
                : "the colorization failed";
        return new ApiException(ErrorCode.COLORIZATION_FAILED, "colorization failed: " + message,
                "send the same request with the same credential again: you will not be charged twice");
    }

    /** The 429 for a client that asked for too many invoices: it may ask again in {@code seconds}. */
    static ApiException rateLimited(long seconds) {
        return new ApiException(ErrorCode.RATE_LIMITED, "too many payment requests from this address",
                "wait " + seconds + " seconds before asking for another invoice")
                .header("Retry-After", Long.toString(seconds));
    }

    private static ApiException refusal(ChallengeResult.Refused refused) {
        return switch (refused.cause()) {
            case RATE_LIMITED -> rateLimited(refused.retryAfterSeconds());
            case PAYER_BACKLOG -> new ApiException(ErrorCode.TOO_MANY_JOBS, refused.detail(),
                    "wait " + refused.retryAfterSeconds() + " seconds, or redeem the invoices you have; you have not been charged")
                    .header("Retry-After", Long.toString(refused.retryAfterSeconds()));
            case QUEUE_FULL -> ApiException.unavailable(ErrorCode.QUEUE_FULL, "as many paid jobs are waiting as this server takes",
                    "try again in a few seconds; you have not been charged", refused.retryAfterSeconds());
            case BUSY -> ApiException.unavailable(ErrorCode.SERVER_BUSY, "the server is colorizing as many photos as it can",
                    "try again in a few seconds; you have not been charged", refused.retryAfterSeconds());
            case LIGHTNING_UNAVAILABLE -> ApiException.unavailable(ErrorCode.LIGHTNING_UNAVAILABLE,
                    "the server cannot create Lightning invoices right now",
                    "try again in a minute; you have not been charged", refused.retryAfterSeconds());
            case STORAGE_UNAVAILABLE -> ApiException.unavailable(ErrorCode.STORAGE_UNAVAILABLE,
                    "the server cannot store results right now", "try again shortly; you have not been charged",
                    refused.retryAfterSeconds());
        };
    }
}
