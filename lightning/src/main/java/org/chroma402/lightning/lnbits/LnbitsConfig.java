package org.chroma402.lightning.lnbits;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * An LNbits wallet: the instance URL, the wallet's invoice/read key (enough to receive), and
 * optionally its admin key (needed to pay). {@code toString} hides both keys.
 */
public record LnbitsConfig(URI url, String invoiceKey, String adminKey, Duration timeout) {
    public LnbitsConfig {
        Objects.requireNonNull(url, "lightning.lnbits.url");
        if (invoiceKey == null || invoiceKey.isBlank()) {
            throw new IllegalArgumentException("lightning.lnbits.invoice-key is not configured");
        }
        Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String toString() {
        return "LnbitsConfig[url=" + url + ", keys=redacted]";
    }
}
