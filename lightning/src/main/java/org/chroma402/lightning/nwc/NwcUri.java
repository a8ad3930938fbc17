package org.chroma402.lightning.nwc;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.chroma402.l402.Bytes32;

/**
 * A NIP-47 connection string, {@code nostr+walletconnect://<wallet pubkey>?relay=…&secret=…}, as
 * a wallet (Alby Hub, Coinos, Primal, …) hands it out. One or more relays; the secret is the
 * client's key and is never printed.
 */
public record NwcUri(String walletPublicKey, List<URI> relays, NostrKeys clientKeys, String lud16) {
    private static final String SCHEME = "nostr+walletconnect:";

    public NwcUri {
        relays = List.copyOf(relays);
    }

    /** Parses a connection string; throws {@link IllegalArgumentException} naming what is wrong. */
    public static NwcUri parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("lightning.nwc.uri is not configured");
        }
        String s = uri.strip();
        if (!s.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            throw new IllegalArgumentException("an NWC connection string starts with nostr+walletconnect://");
        }
        s = s.substring(SCHEME.length());
        if (s.startsWith("//")) {
            s = s.substring(2);
        }
        int q = s.indexOf('?');
        String pubkey = (q < 0 ? s : s.substring(0, q)).toLowerCase(Locale.ROOT);
        if (pubkey.endsWith("/")) {
            pubkey = pubkey.substring(0, pubkey.length() - 1);
        }
        if (!pubkey.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("the NWC wallet public key must be 64 hex digits");
        }
        List<URI> relays = new ArrayList<>();
        String secret = null;
        String lud16 = null;
        for (String pair : q < 0 ? new String[0] : s.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            switch (name) {
                case "relay" -> relays.add(relay(value));
                case "secret" -> secret = value;
                case "lud16" -> lud16 = value;
                default -> {
                    // Other parameters (name, icon, …) do not matter to a backend.
                }
            }
        }
        if (relays.isEmpty()) {
            throw new IllegalArgumentException("the NWC connection string names no relay");
        }
        if (!Bytes32.isHex(secret)) {
            throw new IllegalArgumentException("the NWC connection string needs a secret of 64 hex digits");
        }
        return new NwcUri(pubkey, relays, NostrKeys.fromSecretHex(secret), lud16);
    }

    private static URI relay(String value) {
        try {
            URI relay = new URI(value);
            String scheme = relay.getScheme() == null ? "" : relay.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("wss") || scheme.equals("ws")) || relay.getHost() == null) {
                throw new IllegalArgumentException("an NWC relay is a ws:// or wss:// URL, not " + value);
            }
            return relay;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("an NWC relay is a ws:// or wss:// URL, not " + value);
        }
    }

    @Override
    public String toString() {
        return "NwcUri[wallet=" + walletPublicKey + ", relays=" + relays + ", secret=redacted]";
    }
}
