package org.chroma402.lightning.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket that stays connected: it reconnects with back-off after every drop until closed,
 * and hands each text message to a consumer. Used for the push channels of LNbits and Phoenixd
 * and for Nostr relays; on every (re)connection {@code onOpen} runs, so callers can resubscribe
 * and catch up on what they missed.
 */
public final class WebSocketFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebSocketFeed.class);

    private final String name;
    private final URI uri;
    private final HttpClient client;
    private final Map<String, String> headers;
    private final Consumer<String> onMessage;
    private final Consumer<WebSocket> onOpen;
    private final Thread thread;
    private volatile WebSocket socket;
    private volatile boolean ready;
    private volatile boolean closed;

    public WebSocketFeed(String name, URI uri, HttpClient client, Map<String, String> headers, Consumer<WebSocket> onOpen,
            Consumer<String> onMessage) {
        this.name = name;
        this.uri = uri;
        this.client = client;
        this.headers = Map.copyOf(headers);
        this.onOpen = onOpen;
        this.onMessage = onMessage;
        this.thread = new Thread(this::loop, name + "-feed");
        this.thread.setDaemon(true);
    }

    public WebSocketFeed start() {
        thread.start();
        return this;
    }

    /**
     * Sends a text frame on the current connection; false if there is none. Synchronized because
     * a Java WebSocket takes one outstanding send at a time.
     */
    public synchronized boolean send(String text) {
        WebSocket ws = socket;
        if (ws == null) {
            return false;
        }
        try {
            ws.sendText(text, true).get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            log.debug("{}: send failed: {}", name, e.getMessage());
            return false;
        }
    }

    /** Connected, and {@code onOpen} (resubscribing) has run: messages sent now are not missed. */
    public boolean connected() {
        return ready;
    }

    private void loop() {
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));
        while (!closed) {
            CompletableFuture<Void> ended = new CompletableFuture<>();
            try {
                WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
                headers.forEach(builder::header);
                WebSocket ws = builder.buildAsync(uri, new Listener(ended)).get(15, TimeUnit.SECONDS);
                socket = ws;
                backoff.reset();
                onOpen.accept(ws);
                ready = true;
                ended.join();
            } catch (Exception e) {
                if (!closed) {
                    log.debug("{}: connection failed ({}); retrying within {} ms", name, e.getMessage(),
                            backoff.currentStepMillis());
                }
            } finally {
                ready = false;
                socket = null;
            }
            if (closed) {
                return;
            }
            try {
                backoff.pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final CompletableFuture<Void> ended;
        private final StringBuilder partial = new StringBuilder();

        Listener(CompletableFuture<Void> ended) {
            this.ended = ended;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                try {
                    onMessage.accept(message);
                } catch (RuntimeException e) {
                    log.warn("{}: a message could not be handled: {}", name, e.getMessage());
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended.complete(null);
        }
    }

    @Override
    public void close() {
        closed = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        thread.interrupt();
    }
}
