package org.chroma402.server.gate;

import java.util.Optional;
import org.chroma402.l402.macaroon.Macaroon;

/**
 * The payment gate in front of paid work, split as Aperture's {@code Authenticator} is: judge the
 * credential a request came with, or make a fresh challenge for a request that has none that
 * buys it. It knows nothing of HTTP: outcomes are values, and only the API maps them to status
 * codes and headers, so other front doors (another payment scheme, an MCP endpoint) reuse it.
 */
public interface PaymentGate {

    /**
     * What {@code authorization} (an {@code Authorization} header value, possibly null) buys for
     * the request whose canonical digest is {@code requestDigest}. Never throws for a bad
     * credential: every refusal is a {@link RedeemResult.PaymentRequired} with a typed reason.
     */
    RedeemResult verify(String authorization, String requestDigest);

    /**
     * What an x402 {@code PAYMENT-SIGNATURE} header (a paid invoice, no preimage) buys for the
     * request, judged as {@link #verify} judges a token; {@link RedeemResult.RejectReason#NO_CREDENTIAL}
     * where x402 is off. Throws {@link org.chroma402.lightning.LightningException} when the node
     * cannot say whether the invoice was paid.
     */
    default RedeemResult verifyX402(String paymentSignature, String requestDigest) {
        return new RedeemResult.PaymentRequired(RedeemResult.RejectReason.NO_CREDENTIAL, "x402 is not accepted here");
    }

    /**
     * A fresh challenge for an unpaid request: the unpaid-request checks (rate limit per client,
     * the request's own validation, capacity) and then an invoice and a macaroon, in that order,
     * so a request refused for any reason never costs an invoice.
     */
    ChallengeResult challenge(UnpaidRequest request);

    /**
     * Seconds until {@code clientAddress} may be issued a challenge again, 0 if now: asked before
     * an uncredentialed request's body is read, so a client over its rate limit costs no parsing.
     * Takes nothing from the client's allowance.
     */
    default long unpaidRetryAfter(String clientAddress) {
        return 0;
    }

    /**
     * The challenge a macaroon was minted for, if this server minted it and its signature checks
     * out: proof of holding the token, without a preimage.
     */
    Optional<ChallengeRecord> challengeOf(Macaroon macaroon);
}
