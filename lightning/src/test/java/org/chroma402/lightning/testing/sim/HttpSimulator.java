package org.chroma402.lightning.testing.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A loopback HTTP(S) server that speaks one backend's documented API over a {@link SimulatedNode},
 * with {@link Faults} applied to every call. Subclasses register routes by method and path prefix.
 */
public abstract class HttpSimulator implements BackendSimulator {
    protected static final ObjectMapper JSON = new ObjectMapper();

    public final SimulatedNode node;
    public final Faults faults = new Faults();
    private final HttpServer server;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final List<HttpExchange> streams = new CopyOnWriteArrayList<>();
    private final boolean tls;

    @FunctionalInterface
    protected interface Route {
        void handle(HttpExchange exchange, String rest) throws IOException;
    }

    protected HttpSimulator(SimulatedNode node, boolean tls) {
        this.node = node;
        this.tls = tls;
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (tls) {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(serverTls("node")));
                server = https;
            } else {
                server = HttpServer.create(address, 0);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, getClass().getSimpleName());
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::dispatch);
    }

    /** An SSL context serving one of the test certificates under src/test/resources/tls. */
    public static SSLContext serverTls(String name) {
        try (InputStream in = HttpSimulator.class.getResourceAsStream("/tls/" + name + ".p12")) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, "chroma402".toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, "chroma402".toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String certificate(String name) {
        try (InputStream in = HttpSimulator.class.getResourceAsStream("/tls/" + name + "-cert.pem")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected void route(String method, String pathPrefix, Route route) {
        routes.put(method + " " + pathPrefix, route);
    }

    public void start() {
        server.start();
    }

    public URI url() {
        return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public SimulatedNode node() {
        return node;
    }

    @Override
    public Faults faults() {
        return faults;
    }

    /** Closes every open stream, as a network drop would. */
    @Override
    public void dropConnections() {
        for (HttpExchange e : streams) {
            e.close();
        }
        streams.clear();
    }

    @Override
    public void close() {
        dropConnections();
        server.stop(0);
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try {
            if (faults.delayMillis > 0) {
                Thread.sleep(faults.delayMillis);
            }
            if (faults.failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(exchange, faults.failStatus, "{\"code\": 2, \"message\": \"internal error\"}");
                return;
            }
            if (faults.malformedNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(exchange, 200, "<html>502 Bad Gateway</html>");
                return;
            }
            if (!authorized(exchange)) {
                send(exchange, 401, "{\"code\": 2, \"message\": \"verification failed\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            String best = null;
            for (String key : routes.keySet()) {
                String[] parts = key.split(" ", 2);
                if (parts[0].equals(method) && path.startsWith(parts[1]) && (best == null || parts[1].length() > best.split(" ", 2)[1].length())) {
                    best = key;
                }
            }
            if (best == null) {
                send(exchange, 404, "{\"message\": \"not found\"}");
                return;
            }
            routes.get(best).handle(exchange, path.substring(best.split(" ", 2)[1].length()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            send(exchange, 500, "{\"message\": " + JSON.writeValueAsString(String.valueOf(e.getMessage())) + "}");
        } finally {
            if (!streams.contains(exchange)) {
                exchange.close();
            }
        }
    }

    /** Whether the request carries this backend's credentials. */
    protected abstract boolean authorized(HttpExchange exchange);

    protected static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
    }

    protected static Map<String, String> form(HttpExchange exchange) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    protected static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = exchange.getRequestURI().getRawQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    protected static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = (body instanceof String s ? s : JSON.writeValueAsString(body)).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Starts a chunked response that stays open; lines are written with {@link #streamLine}. */
    protected void openStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        streams.add(exchange);
    }

    protected boolean streamLine(HttpExchange exchange, Object line) {
        try {
            OutputStream out = exchange.getResponseBody();
            out.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException e) {
            streams.remove(exchange);
            return false;
        }
    }

    protected void closeStream(HttpExchange exchange) {
        streams.remove(exchange);
        exchange.close();
    }
}
