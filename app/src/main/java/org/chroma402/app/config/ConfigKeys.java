package org.chroma402.app.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting Chroma402 knows, with its default as text and what it means. The README's
 * configuration table is this list.
 */
public final class ConfigKeys {
    public static final Map<String, String[]> ALL;

    static {
        Map<String, String[]> k = new LinkedHashMap<>();
        k.put("data-dir", d("data", "where the database, results, models and the development node live"));
        k.put("server.host", d("127.0.0.1", "address to listen on (0.0.0.0 for every interface)"));
        k.put("server.port", d("8402", "port to listen on"));
        k.put("server.public-url", d("", "base URL clients reach this server at, for image_url (default: from the request)"));
        k.put("server.cors-origins", d("", "comma-separated origins allowed to call the API from a browser (* for any)"));
        k.put("server.trust-proxy", d("false", "trust X-Forwarded-For/-Proto/-Host from a reverse proxy"));
        k.put("database.url", d("jdbc:sqlite:<data-dir>/chroma402.db", "JDBC URL: jdbc:sqlite:... or jdbc:postgresql://..."));
        k.put("database.username", d("", "PostgreSQL user"));
        k.put("database.password", d("", "PostgreSQL password"));
        k.put("database.max-pool-size", d("4", "database connections"));
        k.put("lightning.backend", d("dev", "dev, lnd, cln, lnbits, phoenixd or nwc"));
        k.put("lightning.timeout", d("10s", "timeout of every call to the Lightning node or wallet"));
        k.put("lightning.lnd.url", d("", "LND REST URL, e.g. https://127.0.0.1:8080"));
        k.put("lightning.lnd.tls-cert", d("", "LND's tls.cert: a file path or the PEM text"));
        k.put("lightning.lnd.macaroon", d("", "an LND macaroon: a file path or hex (invoice.macaroon is enough to receive)"));
        k.put("lightning.lnd.fee-limit-sat", d("10", "most routing fee LND may spend on one payment, in sats"));
        k.put("lightning.cln.url", d("", "Core Lightning clnrest URL, e.g. https://127.0.0.1:3010"));
        k.put("lightning.cln.rune", d("", "a CLN rune allowing invoice, listinvoices, waitanyinvoice, getinfo (and pay to pay)"));
        k.put("lightning.cln.tls-cert", d("", "clnrest's certificate when it is self-signed: a file path or the PEM text"));
        k.put("lightning.lnbits.url", d("", "LNbits instance URL, e.g. https://legend.lnbits.com"));
        k.put("lightning.lnbits.invoice-key", d("", "the wallet's invoice/read key (enough to receive)"));
        k.put("lightning.lnbits.admin-key", d("", "the wallet's admin key (only to pay)"));
        k.put("lightning.phoenixd.url", d("", "phoenixd HTTP API URL, e.g. http://127.0.0.1:9740"));
        k.put("lightning.phoenixd.password", d("", "http-password from ~/.phoenix/phoenix.conf"));
        k.put("lightning.nwc.uri", d("", "Nostr Wallet Connect string: nostr+walletconnect://…?relay=…&secret=…"));
        k.put("pricing.large", d("5", "price of one colorization with the large model, in sats"));
        k.put("pricing.tiny", d("5", "price of one colorization with the tiny model, in sats"));
        k.put("tokens.invoice-expiry", d("10m", "how long an invoice can be paid"));
        k.put("tokens.redeem-window", d("1h", "how long after the invoice expires a paid token can still be redeemed"));
        k.put("tokens.key-rotation", d("30d", "age at which a new L402 root key is made"));
        k.put("results.dir", d("<data-dir>/results", "where colorized results are stored"));
        k.put("results.retention", d("24h", "how long results can be downloaded (and paid requests replayed)"));
        k.put("limits.challenges-per-minute", d("30", "invoices one client address may ask for per minute"));
        k.put("limits.challenge-burst", d("10", "invoices one client address may ask for at once"));
        k.put("jobs.lease", d("30s", "how long a job's worker may go silent before another process takes over"));
        k.put("jobs.workers", d("2", "paid jobs prepared in parallel (model runs are limited by engine.concurrent-runs)"));
        k.put("models.dir", d("<data-dir>/models", "where model files are kept"));
        k.put("models.input-size", d("512", "model input size used when a model leaves it dynamic"));
        k.put("models.upsampling", d("nearest", "ab upsampling: nearest (official DDColor) or bilinear"));
        k.put("engine.intra-op-threads", d("0", "ONNX Runtime threads per model run (0: one per core)"));
        k.put("engine.inter-op-threads", d("1", "ONNX Runtime inter-op threads"));
        k.put("engine.concurrent-runs", d("1", "model runs at once per model"));
        k.put("engine.max-batch", d("4", "images per run when the model has a dynamic batch axis"));
        k.put("engine.max-queued", d("16", "images waiting for a model before unpaid requests get 503"));
        k.put("engine.cuda", d("false", "use the CUDA execution provider when this build has it"));
        k.put("engine.cuda-device", d("0", "CUDA device id"));
        k.put("limits.max-image-bytes", d("20MiB", "largest encoded image accepted"));
        k.put("limits.max-megapixels", d("40", "largest image accepted, in megapixels, read from the header"));
        k.put("output.jpeg-quality", d("0.92", "JPEG quality when JPEG output is asked for"));
        ALL = Collections.unmodifiableMap(k);
    }

    private ConfigKeys() {
    }

    private static String[] d(String defaultValue, String description) {
        return new String[] {defaultValue, description};
    }

    /** Settings whose values are credentials: never printed, logged or echoed in errors. */
    public static final java.util.Set<String> SECRETS = java.util.Set.of("database.password", "lightning.lnd.macaroon",
            "lightning.cln.rune", "lightning.lnbits.invoice-key", "lightning.lnbits.admin-key",
            "lightning.phoenixd.password", "lightning.nwc.uri");
}
