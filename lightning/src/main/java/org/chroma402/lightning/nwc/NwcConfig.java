package org.chroma402.lightning.nwc;

import java.time.Duration;
import java.util.Objects;

/** How to reach a wallet over Nostr Wallet Connect: its connection string and the per-call timeout. */
public record NwcConfig(NwcUri uri, Duration timeout) {
    public NwcConfig {
        Objects.requireNonNull(uri, "lightning.nwc.uri");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** Parses the connection string as wallets hand it out. */
    public static NwcConfig of(String connectionString, Duration timeout) {
        return new NwcConfig(NwcUri.parse(connectionString), timeout);
    }
}
