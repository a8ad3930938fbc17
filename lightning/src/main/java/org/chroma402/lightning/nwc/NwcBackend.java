package org.chroma402.lightning.nwc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.Preimage;
import org.chroma402.lightning.BackendInvoices;
import org.chroma402.lightning.CreatedInvoice;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.InvoiceNotFoundException;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.lightning.InvoiceState;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.LightningTimeoutException;
import org.chroma402.lightning.PayOptions;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.lightning.PaymentResult;
import org.chroma402.lightning.SettlementListener;
import org.chroma402.lightning.SettlementListeners;
import org.chroma402.lightning.SettlementStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A wallet reached over Nostr Wallet Connect (NIP-47), such as Alby Hub: {@code make_invoice},
 * {@code lookup_invoice} and {@code pay_invoice} requests as encrypted kind-23194 events through
 * the wallet's relays, replies as kind 23195, and {@code payment_received} notifications
 * (kinds 23196/23197) for settlement. Encrypts with NIP-44 when the wallet's info event
 * announces it and falls back to NIP-04 otherwise. Every request carries an expiration tag, so
 * a wallet that sees it late drops it instead of acting on it.
 */
public final class NwcBackend implements InvoiceBackend, PaymentBackend, SettlementStream, AutoCloseable {
    static final int INFO = 13194;
    static final int REQUEST = 23194;
    static final int RESPONSE = 23195;
    static final int NOTIFICATION_NIP04 = 23196;
    static final int NOTIFICATION_NIP44 = 23197;

    private static final Logger log = LoggerFactory.getLogger(NwcBackend.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NwcConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final NostrKeys keys;
    private final String wallet;
    private final byte[] conversationKey;
    private final BackendInvoices invoices = new BackendInvoices("nwc");
    /** The relay connections are shared with requests, so they outlive the listeners. */
    private final SettlementListeners listeners = new SettlementListeners(() -> {
        pool();
        return () -> { };
    });
    private final Map<String, CompletableFuture<NostrEvent>> replies = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> infoLoaded = new CompletableFuture<>();
    private volatile WalletInfo info;
    private volatile long lastInfoAt;
    private RelayPool pool;

    /** What the wallet's info event (kind 13194) says it can do. */
    record WalletInfo(Set<String> methods, Set<String> encryptions, Set<String> notifications) {
        boolean nip44() {
            return encryptions.contains("nip44_v2");
        }
    }

    /** A NIP-47 error reply: a code such as {@code NOT_FOUND} or {@code INSUFFICIENT_BALANCE}, and a message. */
    static final class WalletError extends LightningException {
        final String code;

        WalletError(String method, String code, String message) {
            super("NWC " + method + " failed: " + code + (message.isBlank() ? "" : ": " + message));
            this.code = code;
        }
    }

    public NwcBackend(NwcConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.keys = config.uri().clientKeys();
        this.wallet = config.uri().walletPublicKey();
        this.conversationKey = Nip44.conversationKey(keys, wallet);
    }

    @Override
    public String name() {
        return "nwc";
    }

    @Override
    public CreatedInvoice createInvoice(InvoiceRequest request) {
        long msat = request.amountSatRoundedUp() * 1000;
        ObjectNode params = JSON.createObjectNode();
        params.put("amount", msat);
        params.put("expiry", request.expiry().toSeconds());
        if (request.memo() != null) {
            params.put("description", request.memo());
        } else {
            params.put("description_hash", HexFormat.of().formatHex(request.descriptionHash()));
        }
        JsonNode result = call("make_invoice", params, config.timeout());
        if (!result.path("invoice").isTextual()) {
            throw new LightningException("NWC make_invoice: the wallet's reply has no invoice");
        }
        return invoices.accept(result.get("invoice").asText(), result.path("payment_hash").asText(null), request, msat);
    }

    @Override
    public InvoiceState lookupInvoice(PaymentHash paymentHash) {
        ObjectNode params = JSON.createObjectNode();
        params.put("payment_hash", paymentHash.hex());
        JsonNode result;
        try {
            result = call("lookup_invoice", params, config.timeout());
        } catch (WalletError e) {
            if ("NOT_FOUND".equals(e.code)) {
                throw new InvoiceNotFoundException(paymentHash);
            }
            throw e;
        }
        String state = result.path("state").asText("");
        long settledAt = result.path("settled_at").asLong(0);
        if ("settled".equals(state) || settledAt > 0) {
            return InvoiceState.paid(paymentHash, preimage(result.path("preimage").asText("")),
                    result.path("amount").asLong(0), settledAt > 0 ? Instant.ofEpochSecond(settledAt) : clock.instant());
        }
        if ("failed".equals(state)) {
            return new InvoiceState.Cancelled();
        }
        long expiresAt = result.path("expires_at").asLong(0);
        return invoices.unpaid(paymentHash, expiresAt > 0 ? Instant.ofEpochSecond(expiresAt) : null, clock.instant());
    }

    /** Healthy when a relay is connected and the wallet's info event allows receiving. */
    @Override
    public void checkHealth() {
        Instant deadline = Instant.now().plus(config.timeout());
        RelayPool relays = pool();
        awaitConnection(relays, deadline);
        WalletInfo known = awaitInfo(deadline);
        if (known == null) {
            throw new LightningException("NWC: the wallet has published no info event (kind 13194) on "
                    + config.uri().relays());
        }
        for (String method : List.of("make_invoice", "lookup_invoice")) {
            if (!known.methods().contains(method)) {
                throw new LightningException("NWC: this connection does not allow " + method + "; the wallet allows "
                        + known.methods());
            }
        }
    }

    @Override
    public PaymentResult pay(String bolt11, PayOptions options) {
        PaymentHash hash = PaymentBackend.paymentHashOf(bolt11);
        ObjectNode params = JSON.createObjectNode();
        params.put("invoice", bolt11);
        Duration timeout = options.timeout().compareTo(config.timeout()) > 0 ? options.timeout() : config.timeout();
        JsonNode result = call("pay_invoice", params, timeout);
        return PaymentResult.verified(hash, preimage(result.path("preimage").asText("")), result.path("fees_paid").asLong(0));
    }

    @Override
    public AutoCloseable subscribe(SettlementListener listener) {
        return listeners.add(listener);
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    /** Sends one request and waits for its reply; the result object, or a {@link LightningException}. */
    private JsonNode call(String method, JsonNode params, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        RelayPool relays = pool();
        awaitConnection(relays, deadline);
        WalletInfo known = awaitInfo(deadline);
        boolean nip44 = known != null && known.nip44();
        ObjectNode body = JSON.createObjectNode();
        body.put("method", method);
        body.set("params", params);
        String content = nip44 ? Nip44.encrypt(body.toString(), conversationKey, random)
                : Nip04.encrypt(body.toString(), keys, wallet, random);
        long now = Instant.now().getEpochSecond();
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("p", wallet));
        if (nip44) {
            tags.add(List.of("encryption", "nip44_v2"));
        }
        tags.add(List.of("expiration", Long.toString(now + Math.max(1, timeout.toSeconds()))));
        NostrEvent request = NostrEvent.sign(keys, now, REQUEST, tags, content, random);
        CompletableFuture<NostrEvent> reply = new CompletableFuture<>();
        replies.put(request.id(), reply);
        try {
            relays.publish(request, deadline).whenComplete((ok, refused) -> {
                if (refused != null) {
                    reply.completeExceptionally(refused);
                }
            });
            NostrEvent response = reply.get(Math.max(1, RelayPool.remaining(deadline).toMillis()), TimeUnit.MILLISECONDS);
            return result(method, response);
        } catch (TimeoutException e) {
            throw new LightningTimeoutException("NWC: the wallet did not answer " + method + " within "
                    + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new LightningException("NWC " + method + " failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LightningException("NWC " + method + " was interrupted");
        } finally {
            replies.remove(request.id());
        }
    }

    private JsonNode result(String method, NostrEvent response) {
        JsonNode body;
        try {
            body = JSON.readTree(decrypt(response.content()));
        } catch (NostrException | java.io.IOException e) {
            throw new LightningException("NWC " + method + ": the wallet's reply cannot be read (" + e.getMessage() + ")");
        }
        if (body == null || !body.isObject()) {
            throw new LightningException("NWC " + method + ": the wallet's reply is not a JSON object");
        }
        JsonNode error = body.path("error");
        if (error.isObject()) {
            throw new WalletError(method, error.path("code").asText("OTHER"), error.path("message").asText(""));
        }
        JsonNode result = body.path("result");
        if (!result.isObject()) {
            throw new LightningException("NWC " + method + ": the wallet's reply has no result");
        }
        return result;
    }

    private String decrypt(String content) {
        return Nip04.looksLikeNip04(content) ? Nip04.decrypt(content, keys, wallet) : Nip44.decrypt(content, conversationKey);
    }

    private synchronized RelayPool pool() {
        if (pool == null) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
            pool = new RelayPool(config.uri().relays(), client);
            pool.subscribe("nwc-info", new RelayPool.Subscription(() -> filter(INFO, null), this::onInfo,
                    () -> infoLoaded.complete(null)));
            pool.subscribe("nwc-replies", new RelayPool.Subscription(
                    () -> filter(0, Instant.now().minusSeconds(60)), this::onReply, () -> { }));
            pool.start();
        }
        return pool;
    }

    private ObjectNode filter(int kind, Instant since) {
        ObjectNode filter = JSON.createObjectNode();
        filter.putArray("authors").add(wallet);
        if (kind == INFO) {
            filter.putArray("kinds").add(INFO);
            filter.put("limit", 1);
        } else {
            filter.putArray("kinds").add(RESPONSE).add(NOTIFICATION_NIP04).add(NOTIFICATION_NIP44);
            filter.putArray("#p").add(keys.publicKeyHex());
            filter.put("since", since.getEpochSecond());
        }
        return filter;
    }

    private void awaitConnection(RelayPool relays, Instant deadline) {
        try {
            if (!relays.awaitConnected(deadline)) {
                throw new LightningException("NWC: none of the wallet's relays can be reached: " + config.uri().relays());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LightningException("NWC: interrupted while connecting to the relays");
        }
    }

    private WalletInfo awaitInfo(Instant deadline) {
        try {
            infoLoaded.get(Math.max(1, RelayPool.remaining(deadline).toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // No info yet: NIP-47 says to assume NIP-04 then.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return info;
    }

    private void onInfo(NostrEvent event) {
        if (event.kind() != INFO || !wallet.equals(event.pubkey())) {
            return;
        }
        if (info != null && lastInfoAt > event.createdAt()) {
            return;
        }
        lastInfoAt = event.createdAt();
        info = new WalletInfo(words(event.content()), words(event.tag("encryption").orElse("")),
                words(event.tag("notifications").orElse("")));
        infoLoaded.complete(null);
    }

    private static Set<String> words(String text) {
        return Arrays.stream(text.strip().split("[\\s,]+")).filter(w -> !w.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    private void onReply(NostrEvent event) {
        if (!wallet.equals(event.pubkey()) || !event.tag("p").map(keys.publicKeyHex()::equals).orElse(false)) {
            return;
        }
        if (event.kind() == RESPONSE) {
            event.tag("e").map(replies::get).ifPresent(reply -> reply.complete(event));
        } else if (event.kind() == NOTIFICATION_NIP04 || event.kind() == NOTIFICATION_NIP44) {
            onNotification(event);
        }
    }

    private void onNotification(NostrEvent event) {
        try {
            JsonNode body = JSON.readTree(decrypt(event.content()));
            if (!"payment_received".equals(body.path("notification_type").asText())) {
                return;
            }
            JsonNode payment = body.path("notification");
            PaymentHash hash = PaymentHash.fromHex(payment.path("payment_hash").asText());
            long settledAt = payment.path("settled_at").asLong(0);
            InvoiceState.Paid paid = InvoiceState.paid(hash, preimage(payment.path("preimage").asText("")),
                    payment.path("amount").asLong(0), settledAt > 0 ? Instant.ofEpochSecond(settledAt) : clock.instant());
            listeners.settled(hash, paid);
        } catch (Exception e) {
            log.debug("ignored an NWC notification: {}", e.getMessage());
        }
    }

    private static Preimage preimage(String hex) {
        return hex.matches("[0-9a-fA-F]{64}") ? Preimage.fromHex(hex) : null;
    }
}
