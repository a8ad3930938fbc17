package org.chroma402.client;

import java.time.Duration;
import org.chroma402.lightning.PayOptions;

/**
 * Limits of one client: the most it pays for one image, how long it waits for a colorization,
 * and how often it retries a paid request (with the same credential, so at no extra cost).
 */
public record ClientOptions(long maxPriceSat, Duration requestTimeout, int redeemAttempts, PayOptions pay) {
    public static final ClientOptions DEFAULTS = new ClientOptions(100, Duration.ofMinutes(5), 6, PayOptions.DEFAULT);

    public ClientOptions {
        if (maxPriceSat < 0) {
            throw new IllegalArgumentException("the price limit is not negative");
        }
        if (redeemAttempts < 1) {
            throw new IllegalArgumentException("at least one redeem attempt");
        }
    }

    public ClientOptions withMaxPriceSat(long sat) {
        return new ClientOptions(sat, requestTimeout, redeemAttempts, pay);
    }
}
