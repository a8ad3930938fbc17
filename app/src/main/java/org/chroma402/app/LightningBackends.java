package org.chroma402.app;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.chroma402.app.config.ConfigException;
import org.chroma402.app.config.Settings;
import org.chroma402.client.DevWallet;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.lightning.cln.ClnBackend;
import org.chroma402.lightning.cln.ClnConfig;
import org.chroma402.lightning.dev.DevNodeBackend;
import org.chroma402.lightning.http.Secrets;
import org.chroma402.lightning.lnbits.LnbitsBackend;
import org.chroma402.lightning.lnbits.LnbitsConfig;
import org.chroma402.lightning.lnd.LndBackend;
import org.chroma402.lightning.lnd.LndConfig;
import org.chroma402.lightning.nwc.NostrException;
import org.chroma402.lightning.nwc.NwcBackend;
import org.chroma402.lightning.nwc.NwcConfig;
import org.chroma402.lightning.phoenixd.PhoenixdBackend;
import org.chroma402.lightning.phoenixd.PhoenixdConfig;

/**
 * Builds the Lightning backend that {@code lightning.backend} names from its {@code lightning.*}
 * settings. Every real backend both receives (the server) and pays (the client); a missing or
 * malformed setting is a {@link ConfigException} that names the setting, never its value.
 */
public final class LightningBackends {
    public static final String DEV = "dev";

    private LightningBackends() {
    }

    /** The configured backend's name, lower case; {@code dev} when none is configured. */
    public static String configured(Settings s) {
        return s.string("lightning.backend", DEV).strip().toLowerCase(Locale.ROOT);
    }

    /** The backend for receiving; the development node (kept in {@code dataDir/devnode}) by default. */
    public static InvoiceBackend receiving(Settings s, Path dataDir, Clock clock, SecureRandom random) {
        if (DEV.equals(configured(s))) {
            return new DevNodeBackend(dataDir.resolve("devnode"), clock, random);
        }
        return remote(s, clock);
    }

    /**
     * The client's wallet for buying from {@code server}: the configured node or wallet, or, with
     * the development backend, that server's development wallet.
     */
    public static PaymentBackend wallet(Settings s, URI server, Clock clock) {
        return DEV.equals(configured(s)) ? new DevWallet(server) : paying(s, clock);
    }

    /** A real node or wallet to pay from, as the configuration names it. */
    public static PaymentBackend paying(Settings s, Clock clock) {
        InvoiceBackend backend = remote(s, clock);
        if (!(backend instanceof PaymentBackend payer)) {
            throw new ConfigException("lightning.backend " + configured(s) + " cannot pay");
        }
        return payer;
    }

    private static InvoiceBackend remote(Settings s, Clock clock) {
        Duration timeout = s.duration("lightning.timeout", Duration.ofSeconds(10));
        try {
            return switch (configured(s)) {
                case "lnd" -> new LndBackend(new LndConfig(url(s, "lightning.lnd.url"),
                        Secrets.pemOrFile(s.get("lightning.lnd.tls-cert").orElse(null), "lightning.lnd.tls-cert"),
                        Secrets.hexOrFile(s.get("lightning.lnd.macaroon").orElse(null), "lightning.lnd.macaroon"), timeout,
                        s.longValue("lightning.lnd.fee-limit-sat", 10), Duration.ofSeconds(60)), clock);
                case "cln" -> new ClnBackend(new ClnConfig(url(s, "lightning.cln.url"), s.get("lightning.cln.rune").orElse(null),
                        Secrets.pemOrFile(s.get("lightning.cln.tls-cert").orElse(null), "lightning.cln.tls-cert"), timeout), clock);
                case "lnbits" -> new LnbitsBackend(new LnbitsConfig(url(s, "lightning.lnbits.url"),
                        s.get("lightning.lnbits.invoice-key").orElse(null), s.get("lightning.lnbits.admin-key").orElse(null),
                        timeout), clock);
                case "phoenixd" -> new PhoenixdBackend(new PhoenixdConfig(url(s, "lightning.phoenixd.url"),
                        s.get("lightning.phoenixd.password").orElse(null), timeout), clock);
                case "nwc" -> new NwcBackend(NwcConfig.of(s.get("lightning.nwc.uri").orElse(null), timeout), clock);
                case DEV -> throw new ConfigException("the development backend cannot pay other nodes' invoices");
                default -> throw new ConfigException("lightning.backend must be dev, lnd, cln, lnbits, phoenixd or nwc; got '"
                        + configured(s) + "'");
            };
        } catch (IllegalArgumentException | NostrException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static URI url(Settings s, String key) {
        String value = s.get(key).orElseThrow(() -> new ConfigException(key + " is not configured"));
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(key + " is not a URL: " + value);
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new ConfigException(key + " must be a full URL such as https://127.0.0.1:8080, got " + value);
        }
        return uri;
    }
}
