package org.chroma402.server.gate;

import java.util.Optional;
import java.util.function.Predicate;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.lightning.LightningException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The L402 {@link PaymentGate}: {@link TokenVerifier} judges credentials; unpaid requests pass
 * the per-client {@link ChallengeRateLimiter}, their own validation and the capacity check before
 * {@link ChallengeIssuer} makes an invoice and a macaroon.
 */
public final class L402Gate implements PaymentGate {
    private static final Logger log = LoggerFactory.getLogger(L402Gate.class);

    private final TokenVerifier verifier;
    private final ChallengeIssuer issuer;
    private final ChallengeRateLimiter rateLimiter;
    private final Predicate<String> saturated;

    /**
     * @param saturated whether a model's queue is too full for new (unpaid) work; paid requests
     *     are never refused for load, so this is asked only before a challenge
     */
    public L402Gate(TokenVerifier verifier, ChallengeIssuer issuer, ChallengeRateLimiter rateLimiter,
            Predicate<String> saturated) {
        this.verifier = verifier;
        this.issuer = issuer;
        this.rateLimiter = rateLimiter;
        this.saturated = saturated;
    }

    @Override
    public RedeemResult verify(String authorization, String requestDigest) {
        return verifier.verify(authorization, requestDigest);
    }

    @Override
    public ChallengeResult challenge(UnpaidRequest request) {
        long wait = rateLimiter.acquire(request.clientAddress());
        if (wait > 0) {
            return new ChallengeResult.Refused(ChallengeResult.Cause.RATE_LIMITED, wait,
                    "too many payment requests from this address");
        }
        request.validation().run();
        if (saturated.test(request.model())) {
            return new ChallengeResult.Refused(ChallengeResult.Cause.BUSY, 5,
                    "the " + request.model() + " model's queue is full");
        }
        try {
            return new ChallengeResult.Issued(issuer.issue(request.model(), request.requestDigest(), request.amountMsat()));
        } catch (LightningException e) {
            log.warn("cannot create an invoice: {}", e.getMessage());
            return new ChallengeResult.Refused(ChallengeResult.Cause.LIGHTNING_UNAVAILABLE, 30, e.getMessage());
        }
    }

    @Override
    public Optional<ChallengeRecord> challengeOf(Macaroon macaroon) {
        return verifier.challengeOf(macaroon);
    }
}
