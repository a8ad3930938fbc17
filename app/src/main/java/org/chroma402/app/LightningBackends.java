package org.chroma402.app;

import static org.chroma402.app.config.SettingRegistry.*;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.chroma402.app.config.ConfigException;
import org.chroma402.app.config.ConfigParsing;
import org.chroma402.app.config.Setting;
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
        return s.string(LIGHTNING_BACKEND).strip().toLowerCase(Locale.ROOT);
    }

    /** Whether the configuration names the development node: the one place that decides it. */
    public static boolean isDevelopment(Settings s) {
        return DEV.equals(configured(s));
    }

    /**
     * A server's Lightning side: the backend that makes invoices and, on the development node
     * only, the wallet anyone may pay them with.
     */
    public record Receiver(InvoiceBackend backend, PaymentBackend devWallet) {
    }

    /** The backend for receiving; the development node (kept in {@code dataDir/devnode}) by default. */
    public static Receiver receiving(Settings s, Path dataDir, Clock clock, SecureRandom random) {
        if (isDevelopment(s)) {
            DevNodeBackend dev = new DevNodeBackend(dataDir.resolve("devnode"), clock, random);
            return new Receiver(dev, dev);
        }
        return new Receiver(remote(s, clock), null);
    }

    /**
     * The client's wallet for buying from {@code server}: the configured node or wallet, or, with
     * the development backend, that server's development wallet.
     */
    public static PaymentBackend wallet(Settings s, URI server, Clock clock) {
        return isDevelopment(s) ? new DevWallet(server) : paying(s, clock);
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
        Duration timeout = s.duration(LIGHTNING_TIMEOUT);
        try {
            return switch (configured(s)) {
                case "lnd" -> new LndBackend(new LndConfig(url(s, LND_URL),
                        Secrets.pemOrFile(value(s, LND_TLS_CERT), LND_TLS_CERT.key()),
                        Secrets.hexOrFile(value(s, LND_MACAROON), LND_MACAROON.key()), timeout,
                        s.longValue(LND_FEE_LIMIT_SAT), Duration.ofSeconds(60)), clock);
                case "cln" -> new ClnBackend(new ClnConfig(url(s, CLN_URL), value(s, CLN_RUNE),
                        Secrets.pemOrFile(value(s, CLN_TLS_CERT), CLN_TLS_CERT.key()), timeout), clock);
                case "lnbits" -> new LnbitsBackend(new LnbitsConfig(url(s, LNBITS_URL), value(s, LNBITS_INVOICE_KEY),
                        value(s, LNBITS_ADMIN_KEY), timeout), clock);
                case "phoenixd" -> new PhoenixdBackend(new PhoenixdConfig(url(s, PHOENIXD_URL), value(s, PHOENIXD_PASSWORD),
                        timeout), clock);
                case "nwc" -> new NwcBackend(NwcConfig.of(value(s, NWC_URI), timeout), clock);
                case DEV -> throw new ConfigException("the development backend cannot pay other nodes' invoices");
                default -> throw new ConfigException("lightning.backend must be dev, lnd, cln, lnbits, phoenixd or nwc; got '"
                        + configured(s) + "'");
            };
        } catch (IllegalArgumentException | NostrException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static URI url(Settings s, Setting setting) {
        return ConfigParsing.uri(s, setting).orElseThrow(() -> new ConfigException(setting.key() + " is not configured"));
    }

    private static String value(Settings s, Setting setting) {
        return s.get(setting).orElse(null);
    }
}
