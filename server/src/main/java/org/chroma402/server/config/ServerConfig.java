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
public record ServerConfig(Listening listening, ConnectionLimits connections, TokenPolicy tokens, Payments payments,
        UnpaidLimits limits, JobPolicy jobs, ResultPolicy results, Operations operations) {

    public ServerConfig {
        Objects.requireNonNull(listening, "listening");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(payments, "payments");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(operations, "operations");
    }

    /**
     * How the server behaves towards its operator: a log line per request, and how long a stop
     * waits for running paid jobs before handing them back.
     */
    public record Operations(boolean accessLog, Duration shutdownGrace) {
        public Operations {
            if (shutdownGrace == null || shutdownGrace.isNegative()) {
                throw new IllegalArgumentException("server.shutdown-grace must not be negative");
            }
        }
    }

    /**
     * Where the server listens and how it names itself to clients.
     *
     * @param trustProxy whether {@code X-Forwarded-*} headers come from the operator's proxies
     * @param proxyHops how many of those proxies append to {@code X-Forwarded-For}: the client's
     *     address is that many entries from the right (entries further left are the client's own words)
     * @param allowedHosts host names accepted from {@code Host} / {@code X-Forwarded-Host} for the URLs
     *     the server hands out; empty for any well-formed name
     */
    public record Listening(String host, int port, URI publicUrl, List<String> corsOrigins, boolean trustProxy,
            int proxyHops, List<String> allowedHosts) {
        public Listening {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("server.port must be 0 to 65535, got " + port);
            }
            if (proxyHops < 1 || proxyHops > 16) {
                throw new IllegalArgumentException("server.proxy-hops must be 1 to 16, got " + proxyHops);
            }
            corsOrigins = List.copyOf(corsOrigins);
            allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList();
        }

        /** Directly reachable, no proxy, any well-formed host name: for tests and local use. */
        public static Listening direct(String host, int port, List<String> corsOrigins) {
            return new Listening(host, port, null, corsOrigins, false, 1, List.of());
        }
    }

    /**
     * What one connection and one client address may hold: requests in progress per address (the
     * rest wait without a thread), open connections, the slowest acceptable upload, and silence.
     */
    public record ConnectionLimits(int requestsPerAddress, int maxConnections, long minUploadBytesPerSecond,
            Duration idleTimeout) {
        public static final ConnectionLimits DEFAULTS = new ConnectionLimits(16, 1024, 4096, Duration.ofSeconds(30));

        public ConnectionLimits {
            if (requestsPerAddress < 1 || maxConnections < 1 || minUploadBytesPerSecond < 0) {
                throw new IllegalArgumentException(
                        "limits.requests-per-address and limits.max-connections must be at least 1, limits.min-upload-rate not negative");
            }
            requirePositive(idleTimeout, "limits.idle-timeout");
        }
    }

    /**
     * How a 402 offers the invoice: the L402 challenges (classic {@code macaroon=} lines for lnget
     * and Aperture's clients, or the 2026 specification's {@code version="0", token=} line, or both)
     * and the HTTP {@code Payment} scheme's Lightning charge after them; with {@code x402}, also an
     * x402 v2 {@code PAYMENT-REQUIRED} header offering the same invoice. At least one scheme is on.
     */
    public record Payments(boolean l402, boolean paymentScheme, L402Header l402Header, boolean x402) {
        public static final Payments DEFAULTS = new Payments(true, true, L402Header.CLASSIC);

        public Payments {
            Objects.requireNonNull(l402Header, "l402Header");
            if (!l402 && !paymentScheme && !x402) {
                throw new IllegalArgumentException("payments.schemes must name at least one of l402, payment, x402");
            }
        }

        /** Without x402, which is off unless named. */
        public Payments(boolean l402, boolean paymentScheme, L402Header l402Header) {
            this(l402, paymentScheme, l402Header, false);
        }

        /** Which L402 challenge lines a 402 carries. */
        public enum L402Header {
            /** {@code LSAT macaroon=…} then {@code L402 macaroon=…}, as Aperture sends them and lnget needs. */
            CLASSIC,
            /** Only the 2026 specification's {@code L402 version="0", token=…}; lnget 1.1 cannot read it. */
            VERSIONED,
            /** The classic lines, then the versioned one: every client finds a form it reads. */
            BOTH
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

    /**
     * What an unpaid request may cost us: image size limits, invoices per client address, and the
     * photo check before an invoice (how many at once, for how long at most).
     *
     * @param unpaidDecoders photos of unpaid requests checked at once; paid jobs never wait for them
     */
    public record UnpaidLimits(ImageLimits image, int challengesPerMinute, int challengeBurst, int unpaidDecoders,
            Duration unpaidDecodeTime) {
        public UnpaidLimits {
            Objects.requireNonNull(image, "image");
            if (challengesPerMinute < 1 || challengeBurst < 1) {
                throw new IllegalArgumentException("limits.challenges-per-minute and limits.challenge-burst must be at least 1");
            }
            if (unpaidDecoders < 1) {
                throw new IllegalArgumentException("limits.unpaid-decoders must be at least 1");
            }
            requirePositive(unpaidDecodeTime, "limits.unpaid-decode-time");
        }

        /** Half the cores, at least one: what {@code limits.unpaid-decoders: 0} means. */
        public static int defaultDecoders() {
            return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        }

        /** The largest request body: a base64 image at the size limit plus room for the JSON around it. */
        public long maxRequestBytes() {
            return image.maxEncodedBytes() * 4 / 3 + 64 * 1024;
        }
    }

    /**
     * How paid jobs run: the lease another process waits out before taking over, parallelism, and
     * how much paid work is taken before new invoices are refused.
     *
     * @param maxPerAddress paid jobs plus unredeemed invoices one client address may have outstanding
     * @param maxQueued paid jobs waiting or running in this process before new invoices are refused
     * @param memoryBudget heap bytes paid jobs may hold at once by their estimates; 0 for 60 % of the max heap
     */
    public record JobPolicy(Duration lease, int workers, int maxPerAddress, int maxQueued, long memoryBudget) {
        /** A policy with the default memory budget. */
        public JobPolicy(Duration lease, int workers, int maxPerAddress, int maxQueued) {
            this(lease, workers, maxPerAddress, maxQueued, 0);
        }

        public JobPolicy {
            if (memoryBudget < 0) {
                throw new IllegalArgumentException("jobs.memory-budget must not be negative");
            }
            requirePositive(lease, "jobs.lease");
            if (workers < 1) {
                throw new IllegalArgumentException("jobs.workers must be at least 1");
            }
            if (maxPerAddress < 1 || maxQueued < 1) {
                throw new IllegalArgumentException("jobs.max-per-address and jobs.max-queued must be at least 1");
            }
        }
    }

    /** How long results are kept and replayable. */
    public record ResultPolicy(Duration retention, Delivery delivery) {
        public ResultPolicy {
            requirePositive(retention, "results.retention");
            Objects.requireNonNull(delivery, "delivery");
        }

        public ResultPolicy(Duration retention) {
            this(retention, Delivery.PROXY);
        }

        /** How {@code image_url} hands out a result. */
        public enum Delivery {
            /** The server streams the stored object. */
            PROXY,
            /** A 302 to a presigned URL of the object store that expires no later than the result. */
            REDIRECT
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
