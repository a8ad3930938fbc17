package org.chroma402.server.gate;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.lightning.LightningException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The L402 {@link PaymentGate}: {@link TokenVerifier} judges credentials; unpaid requests pass
 * the per-client {@link ChallengeRateLimiter}, their own validation (run in one of a few shared
 * slots, fewer than the cores, so unpaid work can never take the machine from paid jobs) and the
 * capacity check before {@link ChallengeIssuer} makes an invoice and a macaroon.
 */
public final class L402Gate implements PaymentGate {
    private static final Logger log = LoggerFactory.getLogger(L402Gate.class);
    /** How long an unpaid request waits for a checking slot before it is told to come back. */
    private static final Duration CHECK_WAIT = Duration.ofSeconds(2);

    private final TokenVerifier verifier;
    private final ChallengeIssuer issuer;
    private final ChallengeRateLimiter rateLimiter;
    private final Predicate<String> saturated;
    private final UnpaidCheckSlots unpaidChecks;
    private final Supplier<Optional<String>> storageProblem;
    private final PaidBacklog backlog;

    /**
     * @param saturated whether a model's queue is too full for new (unpaid) work; paid requests
     *     are never refused for load, so this is asked only before a challenge
     * @param unpaidChecks how many unpaid requests' validations may run at once: fewer than the
     *     cores, so unpaid photos can never take the machine from paid work; one client address
     *     holds at most half of them
     * @param storageProblem why results cannot be stored right now, if they cannot (asked before
     *     every invoice, so it answers from a short cache)
     * @param backlog the paid work outstanding per payer and in all, which a new invoice must fit
     */
    public L402Gate(TokenVerifier verifier, ChallengeIssuer issuer, ChallengeRateLimiter rateLimiter,
            Predicate<String> saturated, int unpaidChecks, Supplier<Optional<String>> storageProblem,
            PaidBacklog backlog) {
        this.backlog = backlog;
        this.storageProblem = storageProblem;
        this.verifier = verifier;
        this.issuer = issuer;
        this.rateLimiter = rateLimiter;
        this.saturated = saturated;
        this.unpaidChecks = new UnpaidCheckSlots(unpaidChecks);
    }

    @Override
    public RedeemResult verify(String authorization, String requestDigest) {
        return verifier.verify(authorization, requestDigest);
    }

    @Override
    public RedeemResult verifyX402(String paymentSignature, String requestDigest) {
        return verifier.verifyX402(paymentSignature, requestDigest);
    }

    @Override
    public ChallengeResult challenge(UnpaidRequest request) {
        long wait = rateLimiter.acquire(request.clientAddress());
        if (wait > 0) {
            return new ChallengeResult.Refused(ChallengeResult.Cause.RATE_LIMITED, wait,
                    "too many payment requests from this address");
        }
        // Before the photo is checked: a request that could not be served soon costs no checking either.
        PaidBacklog.Admission admission = backlog.reserve(request.clientAddress(), request.requestDigest());
        if (admission instanceof PaidBacklog.Refusal full) {
            log.debug("no invoice for {}: {}", request.clientAddress(), full.detail());
            return new ChallengeResult.Refused(full.cause(), full.retryAfterSeconds(), full.detail());
        }
        PaidBacklog.Reservation reservation = (PaidBacklog.Reservation) admission;
        ChallengeResult result = null;
        try {
            result = checkAndIssue(request);
            return result;
        } finally {
            if (result instanceof ChallengeResult.Issued issued) {
                backlog.confirm(reservation, issued.challenge().paymentHash(), issued.challenge().invoiceExpiresAt());
            } else {
                backlog.cancel(reservation);
            }
        }
    }

    private ChallengeResult checkAndIssue(UnpaidRequest request) {
        try {
            if (!unpaidChecks.acquire(request.clientAddress(), CHECK_WAIT.toMillis())) {
                return new ChallengeResult.Refused(ChallengeResult.Cause.BUSY, 2,
                        "every slot for checking unpaid photos is taken");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ChallengeResult.Refused(ChallengeResult.Cause.BUSY, 2, "interrupted");
        }
        try {
            request.validation().run();
        } finally {
            unpaidChecks.release(request.clientAddress());
        }
        Optional<String> storage = storageProblem.get();
        if (storage.isPresent()) {
            log.warn("no invoice while results cannot be stored: {}", storage.get());
            return new ChallengeResult.Refused(ChallengeResult.Cause.STORAGE_UNAVAILABLE, 10, storage.get());
        }
        if (saturated.test(request.model())) {
            return new ChallengeResult.Refused(ChallengeResult.Cause.BUSY, 5,
                    "the " + request.model() + " model's queue is full");
        }
        try {
            return new ChallengeResult.Issued(issuer.issue(request.model(), request.inputSize(), request.requestDigest(), request.amountMsat()));
        } catch (LightningException e) {
            log.warn("cannot create an invoice: {}", e.getMessage());
            return new ChallengeResult.Refused(ChallengeResult.Cause.LIGHTNING_UNAVAILABLE, 30, e.getMessage());
        }
    }

    @Override
    public long unpaidRetryAfter(String clientAddress) {
        return rateLimiter.retryAfter(clientAddress);
    }

    @Override
    public Optional<ChallengeRecord> challengeOf(Macaroon macaroon) {
        return verifier.challengeOf(macaroon);
    }
}
