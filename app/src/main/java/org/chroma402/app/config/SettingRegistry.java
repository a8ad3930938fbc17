package org.chroma402.app.config;

import static org.chroma402.app.config.Setting.Type.BOOLEAN;
import static org.chroma402.app.config.Setting.Type.DECIMAL;
import static org.chroma402.app.config.Setting.Type.DURATION;
import static org.chroma402.app.config.Setting.Type.INTEGER;
import static org.chroma402.app.config.Setting.Type.LIST;
import static org.chroma402.app.config.Setting.Type.PATH;
import static org.chroma402.app.config.Setting.Type.SIZE;
import static org.chroma402.app.config.Setting.Type.TEXT;
import static org.chroma402.app.config.Setting.Type.URL;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Every setting Chroma402 knows, in one place: key, type, default, meaning, and whether it is a
 * secret. The readers ({@link Chroma402Config}, {@link ServeConfig}, the Lightning backends) take
 * their defaults from here, the loader refuses keys and values that do not fit it, and the
 * README's configuration table is {@link #markdownTable()} (a test keeps the two equal).
 */
public final class SettingRegistry {
    private static final List<Setting> ALL = new ArrayList<>();

    public static final Setting DATA_DIR = add("data-dir", PATH, "data", "where the database, results, models and the development node live");

    public static final Setting SERVER_HOST = add("server.host", TEXT, "127.0.0.1", "address to listen on (`0.0.0.0` for every interface)");
    public static final Setting SERVER_PORT = add("server.port", INTEGER, "8402", "port to listen on");
    public static final Setting SERVER_PUBLIC_URL = add("server.public-url", URL, null, "base URL clients reach this server at, for `image_url` and poll URLs (default: from the request)");
    public static final Setting SERVER_CORS_ORIGINS = add("server.cors-origins", LIST, null, "origins allowed to call the API from a browser (`*` for any)");
    public static final Setting SERVER_TRUST_PROXY = add("server.trust-proxy", BOOLEAN, "false", "trust `X-Forwarded-*` from reverse proxies (see [Running it on the internet](#running-it-on-the-internet))");
    public static final Setting SERVER_PROXY_HOPS = add("server.proxy-hops", INTEGER, "1", "how many trusted proxies append to `X-Forwarded-For`: the client is that many entries from the right");
    public static final Setting SERVER_SHUTDOWN_GRACE = add("server.shutdown-grace", DURATION, "30s", "on stop, how long running paid jobs may finish before they are handed back to the next start or another replica");
    public static final Setting SERVER_ALLOWED_HOSTS = add("server.allowed-hosts", LIST, null, "host names (with `:port` if any) accepted from `Host`/`X-Forwarded-Host` for URLs the server hands out (default: any well-formed one)");

    public static final Setting DATABASE_URL = add("database.url", TEXT, "jdbc:sqlite:<data-dir>/chroma402.db", "`jdbc:sqlite:…` or `jdbc:postgresql://…`");
    public static final Setting DATABASE_USERNAME = add("database.username", TEXT, null, "PostgreSQL user");
    public static final Setting DATABASE_PASSWORD = secret("database.password", "PostgreSQL password");
    public static final Setting DATABASE_MAX_POOL_SIZE = add("database.max-pool-size", INTEGER, "4", "database connections");

    public static final Setting LIGHTNING_BACKEND = add("lightning.backend", TEXT, "dev", "`dev`, `lnd`, `cln`, `lnbits`, `phoenixd` or `nwc`; see [Lightning backends](#lightning-backends)");
    public static final Setting LIGHTNING_TIMEOUT = add("lightning.timeout", DURATION, "10s", "timeout of every call to the node or wallet");
    public static final Setting LND_URL = add("lightning.lnd.url", URL, null, "LND REST URL, e.g. `https://127.0.0.1:8080`");
    public static final Setting LND_TLS_CERT = add("lightning.lnd.tls-cert", TEXT, null, "LND's `tls.cert`: a file path or the PEM text (pinned)");
    public static final Setting LND_MACAROON = secret("lightning.lnd.macaroon", "an LND macaroon: a file path or hex (`invoice.macaroon` is enough to receive)");
    public static final Setting LND_FEE_LIMIT_SAT = add("lightning.lnd.fee-limit-sat", INTEGER, "10", "most routing fee LND may spend on one payment, in sats");
    public static final Setting CLN_URL = add("lightning.cln.url", URL, null, "Core Lightning clnrest URL, e.g. `https://127.0.0.1:3010`");
    public static final Setting CLN_RUNE = secret("lightning.cln.rune", "a rune allowing `invoice`, `listinvoices`, `waitanyinvoice`, `getinfo` (and `pay` to pay)");
    public static final Setting CLN_TLS_CERT = add("lightning.cln.tls-cert", TEXT, null, "clnrest's certificate when it is self-signed: a file path or the PEM text");
    public static final Setting LNBITS_URL = add("lightning.lnbits.url", URL, null, "LNbits URL");
    public static final Setting LNBITS_INVOICE_KEY = secret("lightning.lnbits.invoice-key", "the wallet's invoice/read key (enough to receive)");
    public static final Setting LNBITS_ADMIN_KEY = secret("lightning.lnbits.admin-key", "the wallet's admin key (only to pay)");
    public static final Setting PHOENIXD_URL = add("lightning.phoenixd.url", URL, null, "phoenixd URL, e.g. `http://127.0.0.1:9740`");
    public static final Setting PHOENIXD_PASSWORD = secret("lightning.phoenixd.password", "`http-password` from `~/.phoenix/phoenix.conf`");
    public static final Setting NWC_URI = secret("lightning.nwc.uri", "`nostr+walletconnect://…` connection string");

    public static final Setting PRICING = add("pricing.<model>", INTEGER, "5", "sats per colorization with a model: the price of a render at up to 512 of a photo of up to 12 megapixels, larger work costs a whole multiple of it (see [the price rule](#the-api-in-one-curl-session)); `large` and `tiny` are offered, and so is any other priced model");

    public static final Setting TOKENS_INVOICE_EXPIRY = add("tokens.invoice-expiry", DURATION, "10m", "how long an invoice can be paid");
    public static final Setting TOKENS_REDEEM_WINDOW = add("tokens.redeem-window", DURATION, "1h", "how long after the invoice expired a paid token still redeems");
    public static final Setting PAYMENTS_SCHEMES = add("payments.schemes", LIST, "l402,payment", "credential schemes a 402 offers and accepts: `l402` (with `LSAT`), `payment` (the HTTP Payment scheme's Lightning charge, after the L402 lines) and `x402` (off unless named: an x402 v2 `PAYMENT-REQUIRED` header with the same invoice, paid back in `PAYMENT-SIGNATURE`; see [x402](#x402-over-lightning))");
    public static final Setting PAYMENTS_L402_HEADER = add("payments.l402-header", TEXT, "classic", "L402 challenge lines: `classic` (`LSAT`/`L402 macaroon=`, as lnget needs), `versioned` (only the 2026 `L402 version=\"0\", token=` form, which lnget 1.1 cannot read) or `both` (classic, then versioned)");
    public static final Setting TOKENS_KEY_ROTATION = add("tokens.key-rotation", DURATION, "30d", "age at which a new L402 root key is made");

    public static final Setting RESULTS_DIR = add("results.dir", PATH, "<data-dir>/results", "where results are stored");
    public static final Setting RESULTS_STORE = add("results.store", TEXT, "local", "`local` (files under `results.dir`) or `s3` (an S3-compatible bucket every replica shares; see [Scaling out](#scaling-out))");
    public static final Setting RESULTS_DELIVERY = add("results.delivery", TEXT, "proxy", "`proxy` (the server streams results) or `redirect` (`image_url` answers 302 to a presigned URL of the bucket, valid no longer than the result; `s3` only)");
    public static final Setting RESULTS_S3_ENDPOINT = add("results.s3.endpoint", URL, null, "S3 API endpoint, e.g. `http://minio:9000` (default: AWS's for the region)");
    public static final Setting RESULTS_S3_REGION = add("results.s3.region", TEXT, "us-east-1", "the bucket's region");
    public static final Setting RESULTS_S3_BUCKET = add("results.s3.bucket", TEXT, null, "the bucket (made by the operator; it must exist)");
    public static final Setting RESULTS_S3_PREFIX = add("results.s3.prefix", TEXT, "chroma402/", "key prefix for results (`results/`) and unfinished jobs' inputs (`inputs/`)");
    public static final Setting RESULTS_S3_ACCESS_KEY = add("results.s3.access-key", TEXT, null, "access key id (default: the AWS SDK's usual credential chain)");
    public static final Setting RESULTS_S3_SECRET_KEY = secret("results.s3.secret-key", "secret access key");
    public static final Setting RESULTS_S3_PATH_STYLE = add("results.s3.path-style", BOOLEAN, "false", "path-style URLs (`host/bucket/key`): `true` for MinIO, Ceph, Garage, S3Proxy");
    public static final Setting RESULTS_RETENTION = add("results.retention", DURATION, "24h", "how long results are downloadable (and paid requests replayable)");

    public static final Setting LIMITS_MAX_IMAGE_BYTES = add("limits.max-image-bytes", SIZE, "20MiB", "largest encoded image");
    public static final Setting LIMITS_MAX_MEGAPIXELS = add("limits.max-megapixels", DECIMAL, "40", "largest image, read from the header before decoding");
    public static final Setting LIMITS_CHALLENGES_PER_MINUTE = add("limits.challenges-per-minute", INTEGER, "30", "invoices one client address (an IPv6 client: its /64) may ask for per minute");
    public static final Setting LIMITS_CHALLENGE_BURST = add("limits.challenge-burst", INTEGER, "10", "invoices one client address may ask for at once");
    public static final Setting LIMITS_UNPAID_DECODERS = add("limits.unpaid-decoders", INTEGER, "0", "photos of unpaid requests checked at once (`0`: half the cores, at least one); paid work never waits for them");
    public static final Setting LIMITS_UNPAID_DECODE_TIME = add("limits.unpaid-decode-time", DURATION, "10s", "most time checking one unpaid photo may take before it is refused");
    public static final Setting LIMITS_REQUESTS_PER_ADDRESS = add("limits.requests-per-address", INTEGER, "16", "requests one client address (IPv6: its /64) may have in progress at once, on `serve` and `worker` (the rest wait without a thread)");
    public static final Setting LIMITS_MAX_CONNECTIONS = add("limits.max-connections", INTEGER, "1024", "open connections at most, on `serve` and `worker`; more wait to be accepted");
    public static final Setting LIMITS_MIN_UPLOAD_RATE = add("limits.min-upload-rate", SIZE, "4KiB", "slowest a request body may arrive, per second, before the request is dropped");
    public static final Setting LIMITS_IDLE_TIMEOUT = add("limits.idle-timeout", DURATION, "30s", "how long a connection may stay silent");

    public static final Setting JOBS_LEASE = add("jobs.lease", DURATION, "30s", "how long a job's worker may go silent before another process takes over");
    public static final Setting JOBS_WORKERS = add("jobs.workers", INTEGER, "2", "paid jobs prepared in parallel (model runs are limited by `engine.concurrent-runs`)");
    public static final Setting JOBS_MAX_PER_ADDRESS = add("jobs.max-per-address", INTEGER, "8", "paid jobs plus unredeemed invoices one client address may have outstanding; more invoices get `429 too_many_jobs` (waiting jobs are taken in turn across addresses)");
    public static final Setting JOBS_MAX_QUEUED = add("jobs.max-queued", INTEGER, "32", "paid jobs waiting or running in this process before new invoices get `503 queue_full`");
    public static final Setting JOBS_MEMORY_BUDGET = add("jobs.memory-budget", SIZE, "0", "heap that running paid jobs may hold at once, by each job's estimate (pixels and render size); a job that does not fit waits its turn, one larger than the budget runs alone (`0`: 60 % of the maximum heap)");

    public static final Setting MODELS_DIR = add("models.dir", PATH, "<data-dir>/models", "model files");
    public static final Setting MODELS_HUB_URL = add("models.hub-url", URL, "https://huggingface.co", "where the built-in models' official checkpoints are downloaded from; a mirror keeps Hugging Face's paths (`<repo>/resolve/main/<file>`)");
    public static final Setting MODELS_MAX_DOWNLOAD_SIZE = add("models.max-download-size", SIZE, "2GiB", "largest model download; a download that goes past it is stopped and deleted before anything else reads it");
    public static final Setting MODELS_DOWNLOAD_STALL_TIMEOUT = add("models.download-stall-timeout", DURATION, "60s", "how long a model download may go without a byte before it is stopped (resumable)");
    public static final Setting MODELS_REDIRECT_HOSTS = add("models.redirect-hosts", LIST, "huggingface.co,hf.co", "hosts (and their subdomains) a model download may be redirected to over https, besides the server it was asked from");
    public static final Setting MODELS_AUTO_PULL = add("models.auto-pull", BOOLEAN, "true", "`serve` downloads and installs the offered models that are missing (`large` first), and sells each once it is ready");
    public static final Setting MODEL_URL = add("models.<name>.url", URL, null, "where `models pull` downloads a model from: an official checkpoint (`.pth`, `.bin`, `.safetensors`) or a ready `.onnx` file");
    public static final Setting MODEL_SHA256 = add("models.<name>.sha256", TEXT, null, "the downloaded file's pinned SHA-256 (pinned for `large` and `tiny`)");
    public static final Setting MODEL_ARCHITECTURE = add("models.<name>.architecture", TEXT, null, "`tiny` or `large`: the DDColor network of an added model's checkpoint");
    public static final Setting MODEL_FILE = add("models.<name>.file", TEXT, null, "use this ready ONNX file in the models directory instead of an official checkpoint (for example FaceFusion's export)");
    public static final Setting MODEL_DESCRIPTION = add("models.<name>.description", TEXT, null, "how `/api/l402/models` describes a model");
    public static final Setting MODELS_INPUT_SIZE = add("models.input-size", INTEGER, "512", "input size for models that leave it dynamic");
    public static final Setting MODELS_UPSAMPLING = add("models.upsampling", TEXT, "nearest", "ab upsampling: `nearest` (official DDColor) or `bilinear`");

    public static final Setting ENGINE_INTRA_OP_THREADS = add("engine.intra-op-threads", INTEGER, "0", "ONNX Runtime threads per run (`0`: one per core)");
    public static final Setting ENGINE_INTER_OP_THREADS = add("engine.inter-op-threads", INTEGER, "1", "ONNX Runtime inter-op threads");
    public static final Setting ENGINE_CONCURRENT_RUNS = add("engine.concurrent-runs", INTEGER, "1", "model runs at once per model");
    public static final Setting ENGINE_MAX_BATCH = add("engine.max-batch", INTEGER, "4", "images per run for models with a dynamic batch axis");
    public static final Setting ENGINE_PRECISION = add("engine.precision", TEXT, "fp32", "`fp32` (exact) or `int8` (INT8 convolutions and matrix products, quantized and calibrated on first load and cached next to the model; see [Benchmarks](#benchmarks))");
    public static final Setting MODEL_PRECISION = add("models.<name>.precision", TEXT, null, "one model's `engine.precision`");
    public static final Setting ENGINE_MAX_QUEUED = add("engine.max-queued", INTEGER, "16", "images waiting for a model before unpaid requests get `503`");
    public static final Setting ENGINE_REMOTE_URLS = add("engine.remote.urls", LIST, null, "base URLs of Open Inference Protocol servers (NVIDIA Triton, `chroma402 worker`) that run the models instead of this process; see [Scaling out](#scaling-out)");
    public static final Setting ENGINE_REMOTE_MODEL = add("engine.remote.model.<name>", TEXT, "<name>", "the inference servers' name for one of our models");
    public static final Setting ENGINE_REMOTE_TOKEN = secret("engine.remote.token", "bearer token sent to the inference servers (what `chroma402 worker` was given as `worker.token`)");
    public static final Setting ENGINE_REMOTE_TIMEOUT = add("engine.remote.timeout", DURATION, "120s", "longest one remote model run may take before another server is tried");
    public static final Setting WORKER_HOST = add("worker.host", TEXT, "127.0.0.1", "address `chroma402 worker` listens on");
    public static final Setting WORKER_PORT = add("worker.port", INTEGER, "8000", "port `chroma402 worker` listens on (Triton's HTTP port)");
    public static final Setting WORKER_TOKEN = secret("worker.token", "bearer token `chroma402 worker` requires on every request (recommended unless on a private network)");
    public static final Setting ENGINE_CUDA = add("engine.cuda", BOOLEAN, "false", "use the CUDA execution provider (needs a `-Pcuda` build)");
    public static final Setting ENGINE_CUDA_DEVICE = add("engine.cuda-device", INTEGER, "0", "CUDA device id");

    public static final Setting LOGGING_LEVEL = add("logging.level", TEXT, "info", "`error`, `warn`, `info`, `debug` or `trace`, for Chroma402's own logs");
    public static final Setting LOGGING_FORMAT = add("logging.format", TEXT, "text", "`text` (one line an event, ISO-8601 time with zone) or `json` (one JSON object a line)");
    public static final Setting LOGGING_ACCESS = add("logging.access", BOOLEAN, "true", "one line per HTTP request: method, route, status, bytes, duration, client address");

    public static final Setting OUTPUT_JPEG_QUALITY = add("output.jpeg-quality", DECIMAL, "0.92", "JPEG quality (0 to 1) for `Accept: image/jpeg` and `--format jpeg`");

    private SettingRegistry() {
    }

    private static Setting add(String key, Setting.Type type, String defaultValue, String description) {
        Setting s = new Setting(key, type, defaultValue, description, false);
        ALL.add(s);
        return s;
    }

    private static Setting secret(String key, String description) {
        Setting s = new Setting(key, TEXT, null, description, true);
        ALL.add(s);
        return s;
    }

    /** Every setting, in the README's order. */
    public static List<Setting> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The setting a concrete key is, or belongs to. */
    public static Optional<Setting> find(String key) {
        return ALL.stream().filter(s -> s.matches(key)).findFirst();
    }

    /** Whether a key's value must never be shown. */
    public static boolean isSecret(String key) {
        return find(key).map(Setting::secret).orElse(false);
    }

    /** The README's configuration table. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
        for (Setting s : ALL) {
            String def = s.secret() ? "secret" : s.defaultValue() == null ? "" : "`" + s.defaultValue() + "`";
            out.append("| `").append(s.key()).append("` | ").append(def).append(" | ").append(s.description()).append(" |\n");
        }
        return out.toString();
    }
}
