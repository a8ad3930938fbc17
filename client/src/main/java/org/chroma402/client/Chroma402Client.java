package org.chroma402.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.chroma402.l402.L402FormatException;
import org.chroma402.l402.MacaroonIdentifier;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.bolt11.Bolt11Invoice;
import org.chroma402.l402.bolt11.InvoiceFormatException;
import org.chroma402.l402.header.HeaderFormatException;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.lightning.PaymentResult;
import org.chroma402.lightning.http.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buys colorizations from a Chroma402 server, or any server speaking the same L402 API: asks,
 * checks the challenge (a signed invoice with an amount within the limit, for the payment hash the
 * macaroon names), pays with the given wallet, redeems and downloads the result.
 *
 * <p>It never pays twice for one request: the credential is recorded in {@link Receipts} before
 * it is used, failed or interrupted redeems are retried with the same credential, and a later
 * call for the same request (server, image bytes, model and options) finds the receipt and replays
 * it for free, whether or not its result was saved before. It pays again only when the server says
 * that credential can no longer buy anything ({@link ClientException#refusesCredentialForGood}).
 */
public final class Chroma402Client {
    private static final Logger log = LoggerFactory.getLogger(Chroma402Client.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENDPOINT = "/api/l402/colorize-image";

    private final URI server;
    private final PaymentBackend wallet;
    private final ClientOptions options;
    private final Receipts receipts;
    private final Clock clock;
    private final HttpClient http;
    /** One purchase per request at a time: the same photo twice in one run waits, then replays the first's credential. */
    private final Map<String, Object> inFlight = new ConcurrentHashMap<>();

    public Chroma402Client(URI server, PaymentBackend wallet, ClientOptions options, Receipts receipts, Clock clock) {
        String base = server.toString();
        this.server = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.wallet = wallet;
        this.options = options;
        this.receipts = receipts;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public URI server() {
        return server;
    }

    /** Colorizes one photo, spending at most the per-image limit (and what {@code budget} has left). */
    public Colorization colorize(byte[] image, String modelSize, Budget budget) {
        return colorize(image, modelSize, null, budget);
    }

    /**
     * {@link #colorize(byte[], String, Budget)} at colour strength {@code saturation} (see
     * {@link #saturation(String)}; null for the model's own colours). The strength is part of the
     * request body, so of its receipt: a photo bought at 1.2 is not replayed for 1.3.
     */
    public Colorization colorize(byte[] image, String modelSize, BigDecimal saturation, Budget budget) {
        String body = requestBody(image, modelSize, saturation);
        String digest = sha256(body);
        synchronized (inFlight.computeIfAbsent(digest, d -> new Object())) {
            Optional<Receipts.Receipt> receipt = receipts.find(server.toString(), digest);
            if (receipt.isPresent()) {
                Optional<Colorization> replayed = replay(body, digest, receipt.get());
                if (replayed.isPresent()) {
                    return replayed.get();
                }
            }
            return buy(body, digest, budget);
        }
    }

    /**
     * Redeems a stored credential again, for free. Empty only when the server refused it for good,
     * and then the receipt is forgotten so that the caller may pay; any other failure is thrown.
     */
    private Optional<Colorization> replay(String body, String digest, Receipts.Receipt receipt) {
        log.info("redeeming an earlier payment for this request");
        try {
            return Optional.of(finish(body, digest, receipt.credential(), 0));
        } catch (ClientException e) {
            if (!e.refusesCredentialForGood(receipts.isRedeemed(server.toString(), digest))) {
                throw e;
            }
            log.info("the server no longer honours the earlier payment for this request ({}); buying it again",
                    e.getMessage());
            receipts.forget(server.toString(), digest);
            return Optional.empty();
        }
    }

    private Colorization buy(String body, String digest, Budget budget) {
        HttpResponse<byte[]> first = send(post(body, null, Duration.ofSeconds(60)), null);
        if (first.statusCode() == 200) {
            return download(json(first), 0);
        }
        if (first.statusCode() != 402) {
            throw error(first, null);
        }
        Quote quote = quote(first);
        if (quote.amountSat > options.maxPriceSat()) {
            throw ClientException.overMaxPrice("the server asks " + quote.amountSat + " sats per image, above your limit of "
                    + options.maxPriceSat() + " (raise it with --max-price)");
        }
        if (!budget.tryReserve(quote.amountSat)) {
            throw ClientException.overBudget("paying " + quote.amountSat + " sats more would pass the budget of "
                    + budget.limitSat() + " sats");
        }
        PaymentResult paid;
        try {
            paid = wallet.pay(quote.invoice.encoded(), options.pay());
        } catch (LightningException e) {
            budget.release(quote.amountSat);
            throw new ClientException("payment failed (nothing was paid): " + e.getMessage());
        }
        String credential = "L402 " + quote.macaroonBase64 + ":" + paid.preimage().hex();
        receipts.paid(new Receipts.Receipt(server.toString(), digest, credential, quote.amountSat, clock.instant()));
        return finish(body, digest, credential, quote.amountSat);
    }

    /**
     * What {@link #colorize} would pay for this photo, without paying: the server's challenge, checked
     * as before a payment (a signed invoice with an amount, for the macaroon's payment hash). The
     * server makes an invoice for it, which simply expires unpaid.
     */
    public PriceQuote quote(byte[] image, String modelSize) {
        return quote(image, modelSize, null);
    }

    /** {@link #quote(byte[], String)} for a request at colour strength {@code saturation} (null: the model's own). */
    public PriceQuote quote(byte[] image, String modelSize, BigDecimal saturation) {
        String body = requestBody(image, modelSize, saturation);
        if (receipts.find(server.toString(), sha256(body)).isPresent()) {
            return new PriceQuote(0, null, null, null, true);
        }
        HttpResponse<byte[]> first = send(post(body, null, Duration.ofSeconds(60)), null);
        if (first.statusCode() != 402) {
            throw error(first, null);
        }
        Quote quote = quote(first);
        return new PriceQuote(quote.amountSat, quote.invoice.encoded(), quote.invoice.paymentHash().hex(),
                quote.invoice.expiresAt(), false);
    }

    private Colorization finish(String body, String digest, String credential, long paidSat) {
        Colorization result = redeem(body, credential, paidSat);
        receipts.redeemed(server.toString(), digest);
        return result;
    }

    /** The exact request body; the same image, model and options always give the same bytes, so receipts match. */
    static String requestBody(byte[] image, String modelSize) {
        return requestBody(image, modelSize, null);
    }

    /**
     * The body with a colour strength. Strength 1 is left out, as is null: the server treats it as
     * the request without one, and leaving it out keeps the body, so the receipts of earlier runs.
     * The strength is written in one spelling (1.2 whether given as 1.2 or 1.20) for the same reason.
     */
    static String requestBody(byte[] image, String modelSize, BigDecimal saturation) {
        ObjectNode body = JSON.createObjectNode();
        body.put("image", Base64.getEncoder().encodeToString(image));
        body.put("model_size", modelSize.toLowerCase(Locale.ROOT));
        if (saturation != null && saturation.compareTo(BigDecimal.ONE) != 0) {
            body.put("saturation", new BigDecimal(saturation.stripTrailingZeros().toPlainString()));
        }
        return body.toString();
    }

    /**
     * A colour strength as servers accept it: 0 (grey) to 2, at most two decimals; 1 is the model's
     * own colours. Checked here so a bad value is a usage error, not a refused request.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static BigDecimal saturation(String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("saturation " + text + " is not a number");
        }
        if (value.signum() < 0 || value.compareTo(BigDecimal.valueOf(2)) > 0 || value.stripTrailingZeros().scale() > 2) {
            throw new IllegalArgumentException("saturation " + text + " is not from 0 to 2 with at most two decimals");
        }
        return value;
    }

    private record Quote(String macaroonBase64, Bolt11Invoice invoice, long amountSat) {
    }

    /** Reads and checks a 402: nothing is paid unless the invoice is one the macaroon can redeem. */
    private Quote quote(HttpResponse<byte[]> response) {
        L402Challenge challenge = challenge(response);
        Bolt11Invoice invoice;
        try {
            invoice = Bolt11Decoder.decode(challenge.invoice());
        } catch (InvoiceFormatException e) {
            throw new ClientException("the server's invoice is not valid (" + e.getMessage() + "); nothing was paid");
        }
        if (invoice.amountMsat().isEmpty()) {
            throw new ClientException("the server's invoice has no amount; refusing to pay an open amount");
        }
        try {
            MacaroonIdentifier id = MacaroonIdentifier.decode(challenge.macaroon().identifier());
            if (!id.paymentHash().equals(invoice.paymentHash())) {
                throw new ClientException("the server's macaroon is for another payment than its invoice; nothing was paid");
            }
        } catch (L402FormatException e) {
            throw new ClientException("the server's macaroon cannot be read (" + e.getMessage() + "); nothing was paid");
        }
        if (invoice.isExpired(clock.instant())) {
            throw new ClientException("the server's invoice has already expired; check this machine's clock");
        }
        long sat = (invoice.amountMsat().getAsLong() + 999) / 1000;
        return new Quote(challenge.macaroonBase64(), invoice, sat);
    }

    private static L402Challenge challenge(HttpResponse<byte[]> response) {
        List<String> headers = response.headers().allValues("WWW-Authenticate");
        for (String scheme : List.of("L402", "LSAT")) {
            for (String header : headers) {
                if (header.regionMatches(true, 0, scheme, 0, scheme.length())) {
                    try {
                        return L402Challenge.parse(header);
                    } catch (HeaderFormatException e) {
                        // Try the next header, then the body.
                    }
                }
            }
        }
        JsonNode body = json(response);
        if (body.path("macaroon").isTextual() && body.path("invoice").isTextual()) {
            return new L402Challenge(body.get("macaroon").asText(), body.get("invoice").asText());
        }
        throw new ClientException("the server answered 402 without a readable L402 challenge", 402, null, null, null);
    }

    /** Sends the paid request until it succeeds, retrying what a retry can cure with the same credential. */
    private Colorization redeem(String body, String credential, long paidSat) {
        ClientException last = null;
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        long retryAfterMillis = -1;
        for (int attempt = 1; attempt <= options.redeemAttempts(); attempt++) {
            try {
                HttpResponse<byte[]> response = send(post(body, credential, options.requestTimeout()), credential);
                int status = response.statusCode();
                if (status == 200) {
                    return download(json(response), paidSat);
                }
                if (status == 202) {
                    return poll(response, credential, paidSat);
                }
                last = error(response, credential);
                if (status == 402 || last.isBadInput()) {
                    throw last;
                }
                retryAfterMillis = retryAfter(response, -1);
            } catch (ClientException e) {
                if (e.status() != 0 && (e.status() == 402 || e.isBadInput())) {
                    throw e;
                }
                last = e;
            }
            if (attempt < options.redeemAttempts()) {
                log.info("the paid request did not go through ({}); retrying with the same credential", last.getMessage());
                // The server's Retry-After, when it gave one, beats our guess.
                sleep(retryAfterMillis >= 0 ? retryAfterMillis : backoff.nextDelayMillis());
                retryAfterMillis = -1;
            }
        }
        throw new ClientException(last.getMessage() + "; paid, not yet redeemed: run the same command again to retry "
                + "for free", last.status(), last.errorCode().orElse(null), last.suggestion().orElse(null), credential);
    }

    private Colorization poll(HttpResponse<byte[]> accepted, String credential, long paidSat) {
        String url = accepted.headers().firstValue("Location").orElse(json(accepted).path("poll_url").asText(null));
        if (url == null) {
            throw new ClientException("the server accepted the paid request without a poll URL", 202, null, null, credential);
        }
        Instant deadline = clock.instant().plus(options.requestTimeout());
        while (clock.instant().isBefore(deadline)) {
            HttpResponse<byte[]> response = send(HttpRequest.newBuilder(server.resolve(url)).timeout(Duration.ofSeconds(60))
                    .header("User-Agent", userAgent()).GET().build(), credential);
            if (response.statusCode() == 200) {
                return download(json(response), paidSat);
            }
            if (response.statusCode() != 202) {
                throw error(response, credential);
            }
            sleep(retryAfter(response, 1000));
        }
        throw new ClientException("the colorization did not finish in " + options.requestTimeout().toSeconds() + " s", 202,
                null, null, credential);
    }

    private Colorization download(JsonNode result, long paidSat) {
        String url = result.path("image_url").asText("");
        if (url.isEmpty()) {
            throw new ClientException("the server's answer has no image_url");
        }
        HttpResponse<byte[]> image = send(HttpRequest.newBuilder(server.resolve(url)).timeout(Duration.ofMinutes(2))
                .header("User-Agent", userAgent()).GET().build(), null);
        if (image.statusCode() != 200) {
            throw error(image, null);
        }
        Instant expires = null;
        try {
            expires = Instant.parse(result.path("expires_at").asText());
        } catch (RuntimeException e) {
            // Optional for wire-compatible servers.
        }
        return new Colorization(image.body(), image.headers().firstValue("Content-Type").orElse("application/octet-stream"),
                result.path("width").asInt(), result.path("height").asInt(), result.path("model_size").asText(),
                result.path("payment_hash").asText(), url, expires, paidSat);
    }

    private HttpRequest post(String body, String credential, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + ENDPOINT)).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("User-Agent", userAgent()).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (credential != null) {
            b.header("Authorization", credential);
        }
        return b.build();
    }

    private HttpResponse<byte[]> send(HttpRequest request, String credential) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ClientException(unreachable(e), 0, null, null, credential);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted", 0, null, null, credential);
        }
    }

    /** What a failed connection means, in words, with what to try. */
    private String unreachable(IOException e) {
        return "cannot reach " + server + ": " + ConnectionFailure.describe(e);
    }

    private ClientException error(HttpResponse<byte[]> response, String credential) {
        JsonNode body = json(response);
        String message = body.path("error").asText("");
        if (message.isEmpty()) {
            String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT);
            String text = new String(response.body(), StandardCharsets.UTF_8).strip();
            if (type.contains("html") || text.startsWith("<")) {
                // Someone else's server (or a proxy's error page): say so instead of printing its HTML.
                message = "HTTP " + response.statusCode() + " from " + server + ", which answered with a web page, not the "
                        + "Chroma402 API: check the URL (it should be the server's base URL, such as https://host:8402)";
            } else {
                String printable = text.replaceAll("\\p{Cntrl}", " ");
                message = "HTTP " + response.statusCode() + (printable.isEmpty() ? "" : ": " + (printable.length() > 200
                        ? printable.substring(0, 200) + "…" : printable));
            }
        }
        String code = body.path("error_code").asText(response.headers().firstValue("X-Error-Code").orElse(null));
        String suggestion = body.path("suggestion").asText(null);
        return new ClientException(message + (suggestion == null || suggestion.isBlank() ? "" : " (" + suggestion + ")"),
                response.statusCode(), code, suggestion, credential);
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        try {
            JsonNode node = JSON.readTree(response.body());
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static long retryAfter(HttpResponse<byte[]> response, long fallbackMillis) {
        try {
            return Math.min(60_000, Long.parseLong(response.headers().firstValue("Retry-After").orElse("")) * 1000);
        } catch (NumberFormatException e) {
            return fallbackMillis;
        }
    }

    static String sha256(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String userAgent() {
        return "chroma402-client/0.1";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted");
        }
    }
}
