package org.chroma402.server;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.chroma402.colorize.image.ImageLimits;

/**
 * How the server behaves: where it listens, what it charges, how long invoices, tokens and
 * results live, and how hard it limits unpaid work.
 *
 * <p>Validity: an invoice can be paid for {@code invoiceExpiry}; a paid token can be redeemed
 * until {@code redeemWindow} after the invoice expires (the macaroon's
 * {@code colorize_valid_until} caveat); a result stays downloadable for {@code resultRetention},
 * and during that time the same paid request returns it again.
 */
public record ServerConfig(String host, int port, URI publicUrl, List<String> corsOrigins, boolean trustProxy,
        Map<String, Long> pricesSat, Duration invoiceExpiry, Duration redeemWindow, Duration resultRetention,
        int challengesPerMinute, int challengeBurst, Duration jobLease, int jobWorkers, ImageLimits limits,
        boolean devPayments, Duration keyRotation) {
    public static final String SERVICE = "colorize";
    public static final String LOCATION = "chroma402";

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("server.port must be 0 to 65535, got " + port);
        }
        corsOrigins = List.copyOf(corsOrigins);
        pricesSat = Map.copyOf(pricesSat);
        for (Map.Entry<String, Long> price : pricesSat.entrySet()) {
            if (price.getValue() < 1) {
                throw new IllegalArgumentException("price of " + price.getKey() + " must be at least 1 sat");
            }
        }
        requirePositive(invoiceExpiry, "invoice expiry");
        requirePositive(redeemWindow, "redeem window");
        requirePositive(resultRetention, "result retention");
        requirePositive(jobLease, "job lease");
        if (challengesPerMinute < 1 || challengeBurst < 1) {
            throw new IllegalArgumentException("challenge rate and burst must be at least 1");
        }
        if (jobWorkers < 1) {
            throw new IllegalArgumentException("jobs.workers must be at least 1");
        }
        if (invoiceExpiry.toSeconds() < 1) {
            throw new IllegalArgumentException("invoice expiry must be at least a second");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** The price of a colorization with this model in millisatoshis, if the model is sold. */
    public java.util.OptionalLong priceMsat(String model) {
        Long sats = pricesSat.get(model);
        return sats == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(sats * 1000);
    }

    /** The largest request body: a base64 image at the size limit plus room for the JSON around it. */
    public long maxRequestBytes() {
        return limits.maxEncodedBytes() * 4 / 3 + 64 * 1024;
    }
}
