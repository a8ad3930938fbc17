package org.chroma402.client;

import java.time.Instant;

/**
 * A bought colorization: the downloaded image and what the server said about it. {@code paidSat}
 * is what this call paid (0 when an earlier payment's receipt was redeemed again).
 */
public record Colorization(byte[] image, String contentType, int width, int height, String modelSize,
        String paymentHash, String imageUrl, Instant expiresAt, long paidSat) {
}
