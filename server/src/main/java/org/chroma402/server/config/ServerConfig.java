package org.chroma402.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.chroma402.colorize.image.ImageLimits;

/**
 * How the server behaves, in groups: where it listens, how long tokens live, how hard unpaid
 * work is limited, how jobs run, and how long results are kept. Prices are not here: they belong
 * to the models on sale ({@link org.chroma402.server.jobs.ModelRegistry}).
 *
 * <p>Validity: an invoice can be paid for {@code invoiceExpiry}; a paid token can be redeemed
 * until {@code redeemWindow} after the invoice expires (the macaroon's
 * {@code colorize_valid_until} caveat); a result stays downloadable for {@code retention}, and
 * during that time the same paid request returns it again.
 */
public record ServerConfig(Listening listening, TokenPolicy tokens, UnpaidLimits limits, JobPolicy jobs,
        ResultPolicy results) {

    public ServerConfig {
        Objects.requireNonNull(listening, "listening");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(results, "results");
    }

    /** Where the server listens and how it names itself to clients. */
    public record Listening(String host, int port, URI publicUrl, List<String> corsOrigins, boolean trustProxy) {
        public Listening {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("server.port must be 0 to 65535, got " + port);
            }
            corsOrigins = List.copyOf(corsOrigins);
        }
    }

    /** How long invoices and tokens live, and how often root keys change. */
    public record TokenPolicy(Duration invoiceExpiry, Duration redeemWindow, Duration keyRotation) {
        public TokenPolicy {
            requirePositive(invoiceExpiry, "tokens.invoice-expiry");
            requirePositive(redeemWindow, "tokens.redeem-window");
            requirePositive(keyRotation, "tokens.key-rotation");
            if (invoiceExpiry.toSeconds() < 1) {
                throw new IllegalArgumentException("tokens.invoice-expiry must be at least a second");
            }
        }
    }

    /** What an unpaid request may cost us: image size limits and invoices per client address. */
    public record UnpaidLimits(ImageLimits image, int challengesPerMinute, int challengeBurst) {
        public UnpaidLimits {
            Objects.requireNonNull(image, "image");
            if (challengesPerMinute < 1 || challengeBurst < 1) {
                throw new IllegalArgumentException("limits.challenges-per-minute and limits.challenge-burst must be at least 1");
            }
        }

        /** The largest request body: a base64 image at the size limit plus room for the JSON around it. */
        public long maxRequestBytes() {
            return image.maxEncodedBytes() * 4 / 3 + 64 * 1024;
        }
    }

    /** How paid jobs run: the lease another process waits out before taking over, and parallelism. */
    public record JobPolicy(Duration lease, int workers) {
        public JobPolicy {
            requirePositive(lease, "jobs.lease");
            if (workers < 1) {
                throw new IllegalArgumentException("jobs.workers must be at least 1");
            }
        }
    }

    /** How long results are kept and replayable. */
    public record ResultPolicy(Duration retention) {
        public ResultPolicy {
            requirePositive(retention, "results.retention");
        }
    }

    /** How long a challenge must be kept: past every redeem and every replay of what it bought. */
    public Duration challengeRetention() {
        return tokens.invoiceExpiry().plus(tokens.redeemWindow()).plus(results.retention());
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
