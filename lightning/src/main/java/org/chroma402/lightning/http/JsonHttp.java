package org.chroma402.lightning.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.LightningTimeoutException;

/**
 * JSON over HTTP for the node and wallet APIs: every call has a timeout, failures become
 * {@link LightningException}s naming the backend and the endpoint, and credentials (sent as
 * headers) never appear in messages.
 */
public final class JsonHttp {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final String backend;
    private final URI base;
    private final HttpClient client;
    private final Duration timeout;
    private final Map<String, String> headers;

    public JsonHttp(String backend, URI base, SSLContext tls, Duration timeout, Map<String, String> headers) {
        this.backend = backend;
        this.base = base;
        this.timeout = timeout;
        this.headers = Map.copyOf(headers);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder.build();
    }

    /** The answer to a call: its status and its JSON body (a missing node when the body is not JSON). */
    public record Reply(int status, JsonNode body, String raw) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public HttpClient client() {
        return client;
    }

    public URI uri(String path) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
    }

    public Reply get(String path) {
        return send(request(path).GET().build(), path);
    }

    public Reply postJson(String path, Object body) {
        try {
            return send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), path);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public Reply postForm(String path, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> {
            if (v != null) {
                if (body.length() > 0) {
                    body.append('&');
                }
                body.append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                        .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), path);
    }

    /**
     * Reads a stream of JSON objects, one per line, until the server closes it or the consumer
     * throws. Used for LND's subscriptions; the request has no overall timeout, only a connect one.
     */
    public void stream(String method, String path, Object body, Consumer<JsonNode> onObject) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path));
        headers.forEach(builder::header);
        if ("POST".equals(method)) {
            try {
                builder.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            builder.GET();
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw failure(path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LightningException(backend + " stream " + path + " interrupted");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() / 100 != 2) {
                StringBuilder raw = new StringBuilder();
                String l;
                while ((l = reader.readLine()) != null && raw.length() < 2000) {
                    raw.append(l);
                }
                throw new LightningException(backend + " " + path + " answered HTTP " + response.statusCode() + ": "
                        + abbreviate(raw.toString()));
            }
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new LightningException(backend + " stream " + path + " sent a line that is not JSON");
                }
                onObject.accept(node);
            }
        } catch (IOException e) {
            throw failure(path, e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(timeout);
        headers.forEach(builder::header);
        return builder;
    }

    private Reply send(HttpRequest request, String path) {
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure(path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LightningException(backend + " call " + path + " interrupted");
        }
        JsonNode body;
        try {
            body = response.body() == null || response.body().isBlank() ? JSON.missingNode() : JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            body = JSON.missingNode();
        }
        return new Reply(response.statusCode(), body, response.body());
    }

    private LightningException failure(String path, IOException e) {
        if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
            return new LightningTimeoutException(backend + " did not answer " + path + " within " + timeout.toSeconds() + " s");
        }
        if (e instanceof ConnectException) {
            return new LightningException(backend + " is unreachable at " + base + " (connection refused)");
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return new LightningException(backend + " TLS failed at " + base + ": " + e.getMessage());
        }
        return new LightningException(backend + " call " + path + " failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }

    /** Throws unless the reply is a 2xx with a JSON object body; says what the backend answered. */
    public JsonNode requireObject(Reply reply, String what) {
        if (!reply.ok()) {
            throw new LightningException(backend + " " + what + " failed: HTTP " + reply.status() + " " + abbreviate(reply.raw()));
        }
        if (!reply.body().isObject()) {
            throw new LightningException(backend + " " + what + " answered something that is not a JSON object");
        }
        return reply.body();
    }

    public static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String t = text.replaceAll("\\s+", " ").strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    /** A required text field, or an exception naming it. */
    public String text(JsonNode node, String field, String what) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new LightningException(backend + " " + what + " has no '" + field + "'");
        }
        return v.asText();
    }

    public String backend() {
        return backend;
    }
}
