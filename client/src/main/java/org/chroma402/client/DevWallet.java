package org.chroma402.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.Preimage;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.PayOptions;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.lightning.PaymentResult;

/**
 * The wallet for servers on the development backend: "pays" through the server's own
 * {@code POST /api/dev/pay}, which only such servers offer. No money moves; the preimage is
 * checked like any other.
 */
public final class DevWallet implements PaymentBackend {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public DevWallet(URI server) {
        this.server = server;
    }

    @Override
    public String name() {
        return "dev";
    }

    @Override
    public PaymentResult pay(String bolt11, PayOptions options) {
        PaymentHash hash = PaymentBackend.paymentHashOf(bolt11);
        String body = JSON.createObjectNode().put("invoice", bolt11).toString();
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/api/dev/pay")).timeout(options.timeout())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                String error = json != null ? json.path("error").asText("HTTP " + response.statusCode()) : "HTTP " + response.statusCode();
                throw new LightningException("the server's development wallet refused: " + error
                        + (response.statusCode() == 404 ? " (the server does not run the development backend: pay "
                                + "with a real wallet, see lightning.backend)" : ""));
            }
            String preimage = json.path("preimage").asText("");
            Preimage paid = Preimage.tryFromHex(preimage).orElseThrow(
                    () -> new LightningException("the server's development wallet returned no preimage"));
            return PaymentResult.verified(hash, paid, 0);
        } catch (IOException e) {
            throw new LightningException("cannot reach " + server + " to pay through its development wallet: "
                    + ConnectionFailure.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LightningException("interrupted");
        }
    }
}
