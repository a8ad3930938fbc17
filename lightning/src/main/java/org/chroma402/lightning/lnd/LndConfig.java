package org.chroma402.lightning.lnd;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach LND's REST API: its URL, its TLS certificate (pinned; PEM text), and a macaroon
 * (hex; an {@code invoice.macaroon} is enough to receive, paying needs one with offchain rights).
 * {@code toString} never shows the macaroon.
 */
public record LndConfig(URI url, String tlsCertPem, String macaroonHex, Duration timeout, long feeLimitSat,
        Duration payTimeout) {

    public LndConfig {
        Objects.requireNonNull(url, "lightning.lnd.url");
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
            throw new IllegalArgumentException("lightning.lnd.url must be https://host:port, got " + url);
        }
        if ("https".equals(url.getScheme()) && (tlsCertPem == null || tlsCertPem.isBlank())) {
            throw new IllegalArgumentException("lightning.lnd.tls-cert is needed to trust LND's self-signed certificate");
        }
        if (macaroonHex == null || macaroonHex.isBlank()) {
            throw new IllegalArgumentException("lightning.lnd.macaroon is not configured");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (feeLimitSat < 0) {
            throw new IllegalArgumentException("lightning.lnd.fee-limit-sat must not be negative");
        }
    }

    @Override
    public String toString() {
        return "LndConfig[url=" + url + ", macaroon=redacted, timeout=" + timeout + "]";
    }
}
