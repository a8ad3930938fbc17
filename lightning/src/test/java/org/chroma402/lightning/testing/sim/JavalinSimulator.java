package org.chroma402.lightning.testing.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A loopback simulator for wallets that serve HTTP and WebSocket on one port (LNbits, phoenixd,
 * a Nostr relay), with {@link Faults} applied to HTTP calls and a way to drop every socket.
 */
public abstract class JavalinSimulator implements BackendSimulator {
    protected static final ObjectMapper JSON = new ObjectMapper();

    public final SimulatedNode node;
    public final Faults faults = new Faults();
    protected final List<WsContext> sockets = new CopyOnWriteArrayList<>();
    private final Javalin app;

    protected JavalinSimulator(SimulatedNode node, Consumer<JavalinConfig> routes) {
        this.node = node;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            config.routes.before(this::applyFaults);
            routes.accept(config);
        });
    }

    private void applyFaults(Context ctx) throws InterruptedException {
        if ("websocket".equalsIgnoreCase(ctx.header("Upgrade"))) {
            return;
        }
        if (faults.delayMillis > 0) {
            Thread.sleep(faults.delayMillis);
        }
        if (faults.failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ctx.status(faults.failStatus).result("{\"detail\": \"internal error\"}");
            ctx.skipRemainingHandlers();
            return;
        }
        if (faults.malformedNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ctx.status(200).result("<html>502 Bad Gateway</html>");
            ctx.skipRemainingHandlers();
        }
    }

    public void start() {
        app.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    @Override
    public SimulatedNode node() {
        return node;
    }

    @Override
    public Faults faults() {
        return faults;
    }

    /** Closes every open websocket, as a network drop would. */
    @Override
    public void dropConnections() {
        for (WsContext ws : sockets) {
            ws.closeSession(1001, "going away");
        }
        sockets.clear();
    }

    protected void broadcast(String text) {
        for (WsContext ws : sockets) {
            try {
                ws.send(text);
            } catch (RuntimeException e) {
                sockets.remove(ws);
            }
        }
    }

    protected static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        dropConnections();
        app.stop();
    }
}
