package org.chroma402.server.gate;

/**
 * What a credential is worth for one request: either a payment that buys it, or a reason why a
 * (fresh) payment is needed. Only the HTTP layer turns these into status codes.
 */
public sealed interface RedeemResult {

    /**
     * A paid token bound to this request. {@code expired} means its redemption window is over:
     * it may still fetch a result it already bought, but not start a new job.
     * {@code paymentChallengeId} is the challenge id when the {@code Payment} scheme paid (for its
     * receipt), else null.
     */
    record Granted(ChallengeRecord challenge, boolean expired, String paymentChallengeId) implements RedeemResult {
        public Granted(ChallengeRecord challenge, boolean expired) {
            this(challenge, expired, null);
        }
    }

    /** The credential buys nothing here; answer with a fresh challenge. */
    record PaymentRequired(RejectReason reason, String detail) implements RedeemResult {
    }

    /**
     * Why a credential was turned away. All but a malformed one can be cured by paying a fresh
     * challenge; a malformed one by sending the credential as the 402 said.
     */
    enum RejectReason {
        /** No credential of an accepted scheme at all (none, or another scheme). */
        NO_CREDENTIAL,
        /** An L402/LSAT or Payment credential that does not parse. */
        MALFORMED_CREDENTIAL,
        /** A token this server did not issue (or whose challenge was swept). */
        UNKNOWN_TOKEN,
        /** A token whose root key was retired. */
        UNKNOWN_ROOT_KEY,
        /** A macaroon whose signature does not verify: forged or corrupted. */
        BAD_SIGNATURE,
        /** The invoice was paid, but this preimage is not its: a wrong paste. */
        WRONG_PREIMAGE,
        /** The invoice has not been paid (the preimage is a guess). */
        UNPAID,
        /** The token was bought for another request (another photo or model). */
        OTHER_REQUEST,
        /** A caveat that does not hold here. */
        CAVEAT_FAILED,
        /** The token's redemption window is over and it bought nothing yet. */
        EXPIRED
    }
}
