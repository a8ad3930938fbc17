package org.chroma402.colorize.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback server shaped like Hugging Face's file hosting: {@code /<owner>/<repo>/resolve/main/<file>}
 * answers with a redirect to a content URL, as the real one redirects to its CDN, and the content
 * URL honours range requests. Tests can break the next transfer off after some bytes, or hold
 * every transfer until released, and read which requests came.
 */
public final class HubMirror implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    /** One request as the mirror saw it. */
    public record Request(String path, String range) {
    }

    private final HttpServer server;
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong breakAfter = new AtomicLong(-1);
    private volatile CountDownLatch hold = new CountDownLatch(0);

    private HubMirror(HttpServer server) {
        this.server = server;
    }

    public static HubMirror start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        HubMirror mirror = new HubMirror(server);
        server.createContext("/", mirror::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        return mirror;
    }

    /** The base URL, what {@code models.hub-url} would be set to. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves {@code source} as {@code <repo>/resolve/main/<name>}. */
    public HubMirror put(String repo, String name, Path source) {
        files.put(repo + "/" + name, source);
        return this;
    }

    /** The next transfer stops after this many bytes, as a dropped connection. */
    public void breakNextTransferAfter(long bytes) {
        breakAfter.set(bytes);
    }

    /** Transfers wait until {@link #release()}. */
    public void hold() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        hold.countDown();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(path, exchange.getRequestHeaders().getFirst("Range")));
            int resolve = path.indexOf("/resolve/main/");
            if (resolve > 0) {
                String key = path.substring(1, resolve) + "/" + path.substring(resolve + "/resolve/main/".length());
                if (!files.containsKey(key)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Location", "/cdn/" + key);
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            Path file = path.startsWith("/cdn/") ? files.get(path.substring("/cdn/".length())) : null;
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            send(exchange, file);
        }
    }

    private void send(HttpExchange exchange, Path file) throws IOException {
        long size = Files.size(file);
        long from = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null) {
            Matcher m = RANGE.matcher(range);
            if (m.matches()) {
                from = Long.parseLong(m.group(1));
                if (from >= size) {
                    exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (size - 1) + "/" + size);
            }
        }
        try {
            if (!hold.await(5, TimeUnit.MINUTES)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        exchange.sendResponseHeaders(from > 0 ? 206 : 200, size - from);
        long stopAt = breakAfter.getAndSet(-1);
        try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
            in.skipNBytes(from);
            byte[] buffer = new byte[1 << 16];
            long sent = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (stopAt >= 0 && sent + n > stopAt) {
                    out.write(buffer, 0, (int) (stopAt - sent));
                    out.flush();
                    // Leave without the rest: the client sees the connection end early.
                    throw new IOException("transfer broken off on purpose");
                }
                out.write(buffer, 0, n);
                sent += n;
            }
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
