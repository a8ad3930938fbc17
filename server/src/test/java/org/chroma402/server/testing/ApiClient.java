package org.chroma402.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import org.chroma402.l402.header.L402Challenge;

/** A plain HTTP client for the API, as any script would use it. */
public final class ApiClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public ApiClient(URI base) {
        this.base = base;
    }

    public static String body(byte[] image, String model) {
        ObjectNode body = JSON.createObjectNode();
        body.put("image", Base64.getEncoder().encodeToString(image));
        if (model != null) {
            body.put("model_size", model);
        }
        return body.toString();
    }

    public HttpResponse<byte[]> post(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    public HttpResponse<byte[]> get(String pathOrUrl, String... headers) {
        URI uri = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : base.resolve(pathOrUrl);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(response.body()), e);
        }
    }

    /** The first challenge of a 402, read from its WWW-Authenticate headers as a client would. */
    public static L402Challenge challenge(HttpResponse<byte[]> response) {
        try {
            return L402Challenge.parse(String.join(", ", response.headers().allValues("WWW-Authenticate")));
        } catch (Exception e) {
            throw new AssertionError("no challenge in " + response.headers().map(), e);
        }
    }

    /**
     * Buys {@code body} as a client would: asks for the challenge, pays it with the development
     * wallet, and returns the credential ({@code L402 <macaroon>:<preimage>}) for the same body.
     */
    public String buy(String body) {
        L402Challenge challenge = challenge(post("/api/l402/colorize-image", body));
        return "L402 " + challenge.macaroonBase64() + ":" + devPay(challenge.invoice());
    }

    /** Pays through the development wallet endpoint, like {@code chroma402 pay}; returns the preimage hex. */
    public String devPay(String invoice) {
        ObjectNode body = JSON.createObjectNode();
        body.put("invoice", invoice);
        HttpResponse<byte[]> response = post("/api/dev/pay", body.toString());
        if (response.statusCode() != 200) {
            throw new AssertionError("dev pay failed: " + new String(response.body()));
        }
        return json(response).get("preimage").asText();
    }
}
