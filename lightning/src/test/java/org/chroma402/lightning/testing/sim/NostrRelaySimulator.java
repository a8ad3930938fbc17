package org.chroma402.lightning.testing.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.chroma402.lightning.nwc.NostrEvent;
import org.chroma402.lightning.nwc.NostrException;

/**
 * A Nostr relay on loopback, speaking NIP-01 as relays do: {@code EVENT} answered with
 * {@code OK} (events with a bad id or signature refused), {@code REQ} answered with the stored
 * matches, {@code EOSE}, then live events; {@code CLOSE}. Kinds 20000–29999 are ephemeral (never
 * stored, as NWC requests, replies and notifications are not), 10000–19999 replaceable.
 * In-process listeners (a simulated wallet service) see every accepted event.
 */
public final class NostrRelaySimulator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<NostrEvent> stored = new CopyOnWriteArrayList<>();
    private final Map<WsContext, Map<String, List<JsonNode>>> subscriptions = new ConcurrentHashMap<>();
    private final List<Consumer<NostrEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Javalin app;

    public NostrRelaySimulator() {
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            config.routes.ws("/", ws -> {
                ws.onConnect(ctx -> {
                    ctx.session.setIdleTimeout(java.time.Duration.ofMinutes(10));
                    subscriptions.put(ctx, new ConcurrentHashMap<>());
                });
                ws.onClose(ctx -> subscriptions.remove(ctx));
                ws.onError(ctx -> subscriptions.remove(ctx));
                ws.onMessage(ctx -> onMessage(ctx, ctx.message()));
            });
        });
    }

    public NostrRelaySimulator start() {
        app.start();
        return this;
    }

    public URI url() {
        return URI.create("ws://127.0.0.1:" + app.port() + "/");
    }

    /** Called with every event the relay accepts, from any connection or {@link #publish}. */
    public void onEvent(Consumer<NostrEvent> listener) {
        listeners.add(listener);
    }

    /** Every raw EVENT message clients sent, for tests that look at the wire. */
    public List<String> received() {
        return received;
    }

    /** Accepts an event from an in-process publisher (the simulated wallet). */
    public boolean publish(NostrEvent event) {
        if (!event.verify() || !seen.add(event.id())) {
            return false;
        }
        accept(event);
        return true;
    }

    public int connectionCount() {
        return subscriptions.size();
    }

    /** Closes every client connection, as a network drop would. */
    public void dropConnections() {
        for (WsContext ctx : new ArrayList<>(subscriptions.keySet())) {
            ctx.closeSession(1001, "going away");
        }
        subscriptions.clear();
    }

    private void onMessage(WsContext ctx, String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (Exception e) {
            send(ctx, JSON.createArrayNode().add("NOTICE").add("error: not JSON"));
            return;
        }
        switch (message.path(0).asText()) {
            case "EVENT" -> {
                received.add(text);
                NostrEvent event;
                try {
                    event = NostrEvent.fromJson(message.get(1));
                } catch (NostrException e) {
                    send(ctx, JSON.createArrayNode().add("NOTICE").add("invalid: " + e.getMessage()));
                    return;
                }
                if (!event.verify()) {
                    send(ctx, JSON.createArrayNode().add("OK").add(event.id()).add(false).add("invalid: bad signature"));
                    return;
                }
                if (!seen.add(event.id())) {
                    send(ctx, JSON.createArrayNode().add("OK").add(event.id()).add(true).add("duplicate: already have this event"));
                    return;
                }
                send(ctx, JSON.createArrayNode().add("OK").add(event.id()).add(true).add(""));
                accept(event);
            }
            case "REQ" -> {
                String id = message.path(1).asText();
                List<JsonNode> filters = new ArrayList<>();
                for (int i = 2; i < message.size(); i++) {
                    filters.add(message.get(i));
                }
                Map<String, List<JsonNode>> subs = subscriptions.get(ctx);
                if (subs == null) {
                    return;
                }
                subs.put(id, filters);
                for (JsonNode filter : filters) {
                    int limit = filter.path("limit").asInt(Integer.MAX_VALUE);
                    stored.stream().filter(e -> matches(filter, e))
                            .sorted((a, b) -> Long.compare(b.createdAt(), a.createdAt())).limit(limit)
                            .forEach(e -> send(ctx, JSON.createArrayNode().add("EVENT").add(id).add(e.toJson())));
                }
                send(ctx, JSON.createArrayNode().add("EOSE").add(id));
            }
            case "CLOSE" -> {
                Map<String, List<JsonNode>> subs = subscriptions.get(ctx);
                if (subs != null) {
                    subs.remove(message.path(1).asText());
                }
            }
            default -> send(ctx, JSON.createArrayNode().add("NOTICE").add("error: unknown message type"));
        }
    }

    private void accept(NostrEvent event) {
        int kind = event.kind();
        boolean ephemeral = kind >= 20000 && kind < 30000;
        if (!ephemeral) {
            if (kind >= 10000 && kind < 20000) {
                stored.removeIf(e -> e.kind() == kind && e.pubkey().equals(event.pubkey()));
            }
            stored.add(event);
        }
        subscriptions.forEach((ctx, subs) -> subs.forEach((id, filters) -> {
            if (filters.stream().anyMatch(f -> matches(f, event))) {
                send(ctx, JSON.createArrayNode().add("EVENT").add(id).add(event.toJson()));
            }
        }));
        listeners.forEach(l -> l.accept(event));
    }

    private static boolean matches(JsonNode filter, NostrEvent event) {
        if (filter.has("ids") && !contains(filter.get("ids"), event.id())) {
            return false;
        }
        if (filter.has("authors") && !contains(filter.get("authors"), event.pubkey())) {
            return false;
        }
        if (filter.has("kinds") && !contains(filter.get("kinds"), Integer.toString(event.kind()))) {
            return false;
        }
        if (filter.has("since") && event.createdAt() < filter.get("since").asLong()) {
            return false;
        }
        if (filter.has("until") && event.createdAt() > filter.get("until").asLong()) {
            return false;
        }
        var fields = filter.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            if (field.length() == 2 && field.charAt(0) == '#') {
                String tag = field.substring(1);
                JsonNode wanted = filter.get(field);
                boolean any = event.tags().stream().anyMatch(t -> t.size() >= 2 && t.get(0).equals(tag)
                        && contains(wanted, t.get(1)));
                if (!any) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode v : array) {
            if (v.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static void send(WsContext ctx, ArrayNode message) {
        try {
            synchronized (ctx.session) {
                ctx.send(message.toString());
            }
        } catch (RuntimeException e) {
            // The client went away; its subscriptions go with the close callback.
        }
    }

    @Override
    public void close() {
        dropConnections();
        app.stop();
    }
}
