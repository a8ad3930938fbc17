package org.chroma402.lightning.cln;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Core Lightning's clnrest plugin: its URL, a rune (restrict it to
 * {@code invoice listinvoices waitanyinvoice getinfo}, plus {@code pay} to pay), and its TLS
 * certificate when clnrest serves HTTPS with a self-signed one. {@code toString} hides the rune.
 */
public record ClnConfig(URI url, String rune, String tlsCertPem, Duration timeout) {
    public ClnConfig {
        Objects.requireNonNull(url, "lightning.cln.url");
        if (rune == null || rune.isBlank()) {
            throw new IllegalArgumentException("lightning.cln.rune is not configured");
        }
        Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String toString() {
        return "ClnConfig[url=" + url + ", rune=redacted]";
    }
}
