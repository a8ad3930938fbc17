package org.chroma402.colorize.remote;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Open Inference Protocol server (NVIDIA Triton, KServe, or {@code chroma402 worker}) at a base
 * URL, serving one model under its own name: readiness, metadata and binary inference over HTTP.
 * It counts its own runs in flight, so a pool can pick the least busy. Every failure is said in
 * words an operator can act on ("connection refused", "HTTP 503 model not ready", "timed out after
 * 5 s"), never as an exception's bare class or a null message.
 */
public final class InferenceServer {
    /** How long a health or metadata request may take: probes must not stall the round. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private final URI base;
    private final String model;
    private final HttpClient http;
    private final Duration timeout;
    private final AtomicInteger inFlight = new AtomicInteger();

    private final String token;

    /** @param token a bearer token to send, or null */
    public InferenceServer(URI base, String model, Duration timeout, String token) {
        this.token = token;
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b : b + "/");
        this.model = model;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    }

    public URI base() {
        return base;
    }

    public String model() {
        return model;
    }

    int inFlight() {
        return inFlight.get();
    }

    /** {@code GET /v2/health/ready} and the model's own readiness. */
    public boolean isReady() {
        return readiness().isEmpty();
    }

    /**
     * Why this server cannot run the model now ({@code GET /v2/health/ready}, then the model's own
     * {@code /ready}), or empty when it can.
     */
    public Optional<String> readiness() {
        try {
            int server = get("v2/health/ready").statusCode();
            if (server != 200) {
                return Optional.of(status(server, "server not ready"));
            }
            int model = get("v2/models/" + this.model + "/ready").statusCode();
            return model == 200 ? Optional.empty() : Optional.of(status(model, "model not ready"));
        } catch (IOException e) {
            return Optional.of(why(e, PROBE_TIMEOUT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** An HTTP refusal in words, with the hint a 401 or 404 deserves. */
    private String status(int code, String what) {
        return switch (code) {
            case 401, 403 -> "HTTP " + code + " the token was refused (engine.remote.token)";
            case 404 -> "HTTP 404 no model " + model;
            default -> "HTTP " + code + " " + what;
        };
    }

    /**
     * A failed request in words: the JDK's client leaves {@link ConnectException}'s message null
     * and says nothing of the limit in its timeouts.
     */
    static String why(Exception e, Duration timeout) {
        long seconds = Math.max(1, timeout.toSeconds());
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + seconds + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out after " + seconds + " s";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                String message = t.getMessage();
                return message == null || message.toLowerCase(Locale.ROOT).contains("refused") ? "connection refused"
                        : message.toLowerCase(Locale.ROOT);
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
        }
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    public OipMessages.ModelMetadata metadata() throws IOException, OipFormatException {
        HttpResponse<byte[]> response;
        try {
            response = get("v2/models/" + model);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw new IOException(why(e, PROBE_TIMEOUT), e);
        }
        if (response.statusCode() != 200) {
            throw new IOException(status(response.statusCode(), "no metadata"));
        }
        return OipMessages.parseModelMetadata(response.body());
    }

    /** One inference: binary tensors both ways. */
    public List<OipTensor> infer(List<OipTensor> inputs, List<String> outputs)
            throws IOException, OipFormatException, InterruptedException {
        OipMessages.Body body = OipMessages.inferRequest(null, inputs, outputs);
        HttpRequest request = authorized(HttpRequest.newBuilder(base.resolve("v2/models/" + model + "/infer"))).timeout(timeout)
                .header("Content-Type", body.contentType())
                .header(OipMessages.HEADER_LENGTH, Integer.toString(body.jsonLength()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
        inFlight.incrementAndGet();
        try {
            HttpResponse<byte[]> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw new IOException(why(e, timeout), e);
            }
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + ": "
                        + new String(response.body(), 0, Math.min(200, response.body().length), java.nio.charset.StandardCharsets.UTF_8));
            }
            Integer jsonLength = response.headers().firstValue(OipMessages.HEADER_LENGTH).map(Integer::valueOf).orElse(null);
            return OipMessages.parseInferResponse(response.body(), jsonLength);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(authorized(HttpRequest.newBuilder(base.resolve(path))).timeout(PROBE_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    @Override
    public String toString() {
        return base + " (" + model + ")";
    }
}
