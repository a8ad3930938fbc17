package org.chroma402.server.gate;

/**
 * What a credential is worth for one request: either a payment that buys it, or a reason why a
 * (fresh) payment is needed. Only the HTTP layer turns these into status codes.
 */
public sealed interface RedeemResult {

    /**
     * A paid token bound to this request. {@code expired} means its redemption window is over:
     * it may still fetch a result it already bought, but not start a new job.
     */
    record Granted(ChallengeRecord challenge, boolean expired) implements RedeemResult {
    }

    /** The credential buys nothing here; answer with a fresh challenge. */
    record PaymentRequired(RejectReason reason, String detail) implements RedeemResult {
    }

    /** Why a credential was turned away. All of them can be cured by paying a fresh challenge. */
    enum RejectReason {
        NO_CREDENTIAL,
        MALFORMED_CREDENTIAL,
        UNKNOWN_TOKEN,
        UNKNOWN_ROOT_KEY,
        BAD_SIGNATURE,
        WRONG_PREIMAGE,
        OTHER_REQUEST,
        CAVEAT_FAILED,
        EXPIRED
    }
}
