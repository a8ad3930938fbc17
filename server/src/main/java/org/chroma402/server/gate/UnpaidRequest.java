package org.chroma402.server.gate;

import java.util.Objects;

/**
 * An unpaid request that wants a challenge: who asks, what it would buy, and at what price.
 *
 * @param clientAddress the address the rate limit is kept for
 * @param model the model the token will be bound to
 * @param inputSize the render size the request chose, or null for the model's own
 * @param requestDigest the canonical digest the token will be bound to
 * @param amountMsat the price
 * @param validation the request's own check (is the photo decodable?), run after the rate limit
 *     and before any invoice; it refuses by throwing
 */
public record UnpaidRequest(String clientAddress, String model, Integer inputSize, String requestDigest, long amountMsat,
        Runnable validation) {
    public UnpaidRequest {
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(requestDigest, "requestDigest");
        Objects.requireNonNull(validation, "validation");
        if (amountMsat < 1000) {
            throw new IllegalArgumentException("a challenge costs at least 1 sat");
        }
    }
}
