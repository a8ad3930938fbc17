package org.chroma402.colorize.remote;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Open Inference Protocol server (NVIDIA Triton, KServe, or {@code chroma402 worker}) at a base
 * URL, serving one model under its own name: readiness, metadata and binary inference over HTTP.
 * It counts its own runs in flight, so a pool can pick the least busy.
 */
public final class InferenceServer {
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
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
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
        try {
            return get("v2/health/ready").statusCode() == 200 && get("v2/models/" + model + "/ready").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public OipMessages.ModelMetadata metadata() throws IOException, OipFormatException {
        HttpResponse<byte[]> response;
        try {
            response = get("v2/models/" + model);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new IOException(base + " has no model " + model + " (HTTP " + response.statusCode() + ")");
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
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException(base + " answered " + response.statusCode() + ": "
                        + new String(response.body(), 0, Math.min(200, response.body().length), java.nio.charset.StandardCharsets.UTF_8));
            }
            Integer jsonLength = response.headers().firstValue(OipMessages.HEADER_LENGTH).map(Integer::valueOf).orElse(null);
            return OipMessages.parseInferResponse(response.body(), jsonLength);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(authorized(HttpRequest.newBuilder(base.resolve(path))).timeout(Duration.ofSeconds(5)).GET().build(),
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
