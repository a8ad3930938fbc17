package org.chroma402.lightning.nwc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.chroma402.lightning.http.WebSocketFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections to a set of Nostr relays (NIP-01): each stays open and reconnects on its own,
 * re-sends every subscription when it comes back, and passes on only events whose id and
 * signature check out, each once however many relays deliver it. Publishing goes to every
 * connected relay and succeeds when one of them accepts; an event no relay has acknowledged yet
 * is sent again after a reconnection (relays and wallets drop duplicates by event id).
 */
final class RelayPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayPool.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REMEMBERED_EVENTS = 10_000;

    /** A standing subscription; its filter is rebuilt on every (re)connection so that {@code since} moves. */
    record Subscription(Supplier<JsonNode> filter, Consumer<NostrEvent> onEvent, Runnable onEndOfStored) {
    }

    private final List<URI> urls;
    private final HttpClient client;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, Publication> publications = new ConcurrentHashMap<>();
    private final Map<String, Boolean> seen = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_EVENTS;
        }
    };
    private final Map<URI, WebSocketFeed> feeds = new ConcurrentHashMap<>();

    private static final class Publication {
        final String message;
        final CompletableFuture<Void> accepted = new CompletableFuture<>();
        final AtomicInteger rejections = new AtomicInteger();
        volatile int sentTo = Integer.MAX_VALUE;
        volatile String lastReason = "";

        Publication(String message) {
            this.message = message;
        }
    }

    RelayPool(List<URI> urls, HttpClient client) {
        this.urls = List.copyOf(urls);
        this.client = client;
    }

    /** Adds a subscription; call before {@link #start()}. */
    void subscribe(String id, Subscription subscription) {
        subscriptions.put(id, subscription);
    }

    RelayPool start() {
        for (URI url : urls) {
            WebSocketFeed[] feed = new WebSocketFeed[1];
            feed[0] = new WebSocketFeed("nostr-relay " + url.getHost(), url, client, Map.of(),
                    ws -> {
                        subscriptions.forEach((id, s) -> feed[0].send(request(id, s)));
                        // An event sent into a connection that was already dying was never seen: send it again.
                        publications.values().forEach(p -> feed[0].send(p.message));
                    },
                    text -> onMessage(url, text));
            feeds.put(url, feed[0]);
            feed[0].start();
        }
        return this;
    }

    boolean anyConnected() {
        return feeds.values().stream().anyMatch(WebSocketFeed::connected);
    }

    /** Waits until a relay is connected or the deadline passes; false if none is. */
    boolean awaitConnected(Instant deadline) throws InterruptedException {
        while (!anyConnected()) {
            if (!Instant.now().isBefore(deadline)) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Sends an event to every connected relay, waiting (until the deadline) for one to be
     * connected if a drop has just closed them all. The future completes when one relay accepts
     * the event and fails when all refuse or none could be reached; if relays take the event but
     * never answer, it stays open (callers bound their wait).
     */
    CompletableFuture<Void> publish(NostrEvent event, Instant deadline) throws InterruptedException {
        String message = JSON.createArrayNode().add("EVENT").add(event.toJson()).toString();
        Publication publication = new Publication(message);
        publications.put(event.id(), publication);
        publication.accepted.whenComplete((ok, error) -> publications.remove(event.id()));
        int sent = 0;
        while (sent == 0) {
            for (WebSocketFeed feed : feeds.values()) {
                if (feed.send(message)) {
                    sent++;
                }
            }
            if (sent == 0) {
                if (!Instant.now().isBefore(deadline)) {
                    publication.accepted.completeExceptionally(new NostrException("no relay is connected"));
                    return publication.accepted;
                }
                Thread.sleep(25);
            }
        }
        publication.sentTo = sent;
        if (publication.rejections.get() >= sent) {
            publication.accepted.completeExceptionally(new NostrException("the relay refused the event: "
                    + publication.lastReason));
        }
        return publication.accepted;
    }

    private static String request(String id, Subscription subscription) {
        return JSON.createArrayNode().add("REQ").add(id).add(subscription.filter().get()).toString();
    }

    private void onMessage(URI relay, String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (Exception e) {
            log.debug("{} sent something that is not JSON", relay);
            return;
        }
        if (message == null || !message.isArray() || message.isEmpty()) {
            return;
        }
        switch (message.get(0).asText()) {
            case "EVENT" -> onEvent(relay, message);
            case "OK" -> onOk(message);
            case "EOSE" -> {
                Subscription s = subscriptions.get(message.path(1).asText());
                if (s != null) {
                    s.onEndOfStored().run();
                }
            }
            case "CLOSED" -> log.warn("{} closed subscription {}: {}", relay, message.path(1).asText(), message.path(2).asText());
            case "NOTICE" -> log.debug("{}: {}", relay, message.path(1).asText());
            default -> log.debug("{} sent an unknown message type", relay);
        }
    }

    private void onEvent(URI relay, JsonNode message) {
        Subscription subscription = subscriptions.get(message.path(1).asText());
        if (subscription == null) {
            return;
        }
        NostrEvent event;
        try {
            event = NostrEvent.fromJson(message.get(2));
        } catch (NostrException e) {
            log.debug("{} sent a malformed event: {}", relay, e.getMessage());
            return;
        }
        if (!event.verify()) {
            log.warn("{} sent an event with a bad id or signature; ignored", relay);
            return;
        }
        synchronized (seen) {
            if (seen.put(event.id(), Boolean.TRUE) != null) {
                return;
            }
        }
        subscription.onEvent().accept(event);
    }

    private void onOk(JsonNode message) {
        Publication publication = publications.get(message.path(1).asText());
        if (publication == null) {
            return;
        }
        if (message.path(2).asBoolean(false)) {
            publication.accepted.complete(null);
            return;
        }
        publication.lastReason = message.path(3).asText("");
        if (publication.rejections.incrementAndGet() >= publication.sentTo) {
            publication.accepted.completeExceptionally(new NostrException("the relay refused the event: "
                    + publication.lastReason));
        }
    }

    @Override
    public void close() {
        feeds.values().forEach(WebSocketFeed::close);
        feeds.clear();
    }

    static Duration remaining(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
