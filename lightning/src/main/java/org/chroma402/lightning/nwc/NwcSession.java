package org.chroma402.lightning.nwc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.LightningTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One NIP-47 conversation with a wallet: the relay connections, the wallet's info event, and
 * requests (kind 23194) matched to their replies (kind 23195), encrypted with NIP-44 when the
 * wallet announces it and NIP-04 otherwise. Notifications (kinds 23196/23197) are decrypted and
 * handed to the listener given at construction. Knows nothing of invoices: {@link NwcBackend}
 * turns methods and replies into the Lightning interfaces.
 */
final class NwcSession implements AutoCloseable {
    static final int INFO = 13194;
    static final int REQUEST = 23194;
    static final int RESPONSE = 23195;
    static final int NOTIFICATION_NIP04 = 23196;
    static final int NOTIFICATION_NIP44 = 23197;

    private static final Logger log = LoggerFactory.getLogger(NwcSession.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NwcConfig config;
    private final Consumer<JsonNode> onNotification;
    private final SecureRandom random = new SecureRandom();
    private final NostrKeys keys;
    private final String wallet;
    private final byte[] conversationKey;
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

    NwcSession(NwcConfig config, Consumer<JsonNode> onNotification) {
        this.config = config;
        this.onNotification = onNotification;
        this.keys = config.uri().clientKeys();
        this.wallet = config.uri().walletPublicKey();
        this.conversationKey = Nip44.conversationKey(keys, wallet);
    }

    /** Connects (once) and waits for a relay and the wallet's info event; null info if it published none in time. */
    WalletInfo awaitReady(Instant deadline) {
        awaitConnection(connect(), deadline);
        return awaitInfo(deadline);
    }

    /** Opens the relay connections now, so notifications flow before the first request. */
    void open() {
        connect();
    }

    /** Sends one request and waits for its reply; the result object, or a {@link LightningException}. */
    JsonNode call(String method, JsonNode params, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        RelayPool relays = connect();
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

    private synchronized RelayPool connect() {
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
            notification(event);
        }
    }

    private void notification(NostrEvent event) {
        try {
            onNotification.accept(JSON.readTree(decrypt(event.content())));
        } catch (Exception e) {
            log.debug("ignored an NWC notification: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
