package org.chroma402.lightning.phoenixd;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/** How to reach phoenixd's HTTP API: its URL and the {@code http-password} from phoenix.conf (hidden in {@code toString}). */
public record PhoenixdConfig(URI url, String password, Duration timeout) {
    public PhoenixdConfig {
        Objects.requireNonNull(url, "lightning.phoenixd.url");
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException("lightning.phoenixd.password is not configured");
        }
        Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String toString() {
        return "PhoenixdConfig[url=" + url + ", password=redacted]";
    }
}
