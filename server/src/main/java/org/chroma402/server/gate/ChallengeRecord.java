package org.chroma402.server.gate;

import java.time.Instant;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.TokenId;

/**
 * One issued 402 challenge: the token it minted, the invoice that pays it, and what the token is
 * bound to (one request digest, one model, one price, and the render size when the request chose
 * one; null means the model's own).
 */
public record ChallengeRecord(TokenId tokenId, PaymentHash paymentHash, String keyId, String requestDigest,
        String model, long amountMsat, String bolt11, Instant createdAt, Instant invoiceExpiresAt,
        Instant tokenExpiresAt, Integer inputSize) {
}
