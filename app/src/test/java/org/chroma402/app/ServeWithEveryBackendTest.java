package org.chroma402.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.chroma402.app.config.ConfigLoader;
import org.chroma402.app.config.Settings;
import org.chroma402.client.Budget;
import org.chroma402.client.Chroma402Client;
import org.chroma402.client.ClientOptions;
import org.chroma402.client.Colorization;
import org.chroma402.client.DevWallet;
import org.chroma402.client.Receipts;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.lightning.PayOptions;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.lightning.lnd.LndBackend;
import org.chroma402.lightning.lnd.LndConfig;
import org.chroma402.lightning.nwc.NwcBackend;
import org.chroma402.lightning.nwc.NwcConfig;
import org.chroma402.lightning.testing.sim.HttpSimulator;
import org.chroma402.lightning.testing.sim.LndSimulator;
import org.chroma402.lightning.testing.sim.NwcWalletSimulator;
import org.chroma402.lightning.testing.sim.SimulatedNode;
import org.chroma402.server.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as an operator configures it, end to end over loopback HTTP: the paid API with the
 * development node, with LND (simulated REST API) and with a Nostr Wallet Connect wallet
 * (simulated relay and wallet service). The buyer is the Chroma402 client paying with a real
 * backend of the other kind, so money crosses from one simulated node to the other.
 */
class ServeWithEveryBackendTest {
    private static final byte[] PHOTO = TestResources.bytes("fixtures/inputs/buffalo.png");
    private static final ClientOptions CLIENT = new ClientOptions(10, Duration.ofSeconds(60), 2,
            new PayOptions(Duration.ofSeconds(10), 10_000));

    @TempDir
    Path dir;

    private Map<String, String> base() {
        Path model = TestResources.tinyModel();
        Map<String, String> flags = new HashMap<>();
        flags.put("data-dir", dir.resolve("data").toString());
        flags.put("server.port", "0");
        flags.put("models.dir", model.getParent().toString());
        flags.put("models.large.file", model.getFileName().toString());
        flags.put("models.tiny.file", model.getFileName().toString());
        flags.put("lightning.timeout", "3s");
        return flags;
    }

    private static Settings settings(Map<String, String> flags) {
        return ConfigLoader.load(null, Map.of(), flags);
    }

    @Test
    void developmentNode() throws Exception {
        try (Assembly.Service service = Assembly.server(settings(base()))) {
            URI url = start(service);
            buyAndCheck(url, new DevWallet(url));
        }
    }

    @Test
    void lnd() throws Exception {
        try (LndSimulator lnd = new LndSimulator(new SimulatedNode(Clock.systemUTC()));
                NwcWalletSimulator buyersWallet = NwcWalletSimulator.start(new SimulatedNode(Clock.systemUTC()),
                        NwcWalletSimulator.Encryption.NIP44)) {
            lnd.start();
            Map<String, String> flags = base();
            flags.put("lightning.backend", "lnd");
            flags.put("lightning.lnd.url", lnd.url().toString());
            flags.put("lightning.lnd.tls-cert", HttpSimulator.certificate("node"));
            flags.put("lightning.lnd.macaroon", LndSimulator.MACAROON);
            try (Assembly.Service service = Assembly.server(settings(flags));
                    NwcBackend payer = new NwcBackend(NwcConfig.of(buyersWallet.connectionUri(), Duration.ofSeconds(5)),
                            Clock.systemUTC())) {
                URI url = start(service);
                assertReady(url, "lnd");
                buyAndCheck(url, payer);
                lnd.close();
                assertUnavailableWithoutAChallenge(url);
            }
        }
    }

    @Test
    void nostrWalletConnect() throws Exception {
        try (NwcWalletSimulator wallet = NwcWalletSimulator.start(new SimulatedNode(Clock.systemUTC()),
                NwcWalletSimulator.Encryption.NIP44);
                LndSimulator buyersNode = new LndSimulator(new SimulatedNode(Clock.systemUTC()))) {
            buyersNode.start();
            Map<String, String> flags = base();
            flags.put("lightning.backend", "nwc");
            flags.put("lightning.nwc.uri", wallet.connectionUri());
            LndBackend payer = new LndBackend(new LndConfig(buyersNode.url(), HttpSimulator.certificate("node"),
                    LndSimulator.MACAROON, Duration.ofSeconds(5), 10, Duration.ofSeconds(30)), Clock.systemUTC());
            try (Assembly.Service service = Assembly.server(settings(flags))) {
                URI url = start(service);
                assertReady(url, "nwc");
                buyAndCheck(url, payer);
                wallet.close();
                assertUnavailableWithoutAChallenge(url);
            }
        }
    }

    private static URI start(Assembly.Service service) {
        return URI.create("http://127.0.0.1:" + service.server().start());
    }

    private static void buyAndCheck(URI url, PaymentBackend payer) throws Exception {
        Chroma402Client client = new Chroma402Client(url, payer, CLIENT, Receipts.inMemory(), Clock.systemUTC());
        Colorization result = client.colorize(PHOTO, "large", Budget.unlimited());
        assertThat(result.paidSat()).isEqualTo(5);
        assertThat(new ImageDecoder(ImageLimits.DEFAULTS).decode(result.image()).width()).isEqualTo(120);
        // Without the credential the same request is a new sale.
        HttpResponse<byte[]> again = new ApiClient(url).post("/api/l402/colorize-image", ApiClient.body(PHOTO, "large"));
        assertThat(again.statusCode()).isEqualTo(402);
    }

    private static void assertReady(URI url, String backend) {
        HttpResponse<byte[]> ready = new ApiClient(url).get("/readyz");
        JsonNode body = ApiClient.json(ready);
        assertThat(ready.statusCode()).as(body.toString()).isEqualTo(200);
        assertThat(body.get("lightning").asText()).isEqualTo("ok");
        assertThat(body.get("lightning_backend").asText()).isEqualTo(backend);
    }

    /** A backend that is down turns into a 503 before any invoice exists: never a 402 that cannot be paid. */
    private static void assertUnavailableWithoutAChallenge(URI url) {
        ApiClient api = new ApiClient(url);
        HttpResponse<byte[]> response = api.post("/api/l402/colorize-image",
                ApiClient.body(TestResources.bytes("fixtures/inputs/keller.png"), "large"));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().allValues("WWW-Authenticate")).isEmpty();
        assertThat(ApiClient.json(response).get("error_code").asText()).isNotBlank();
        assertThat(api.get("/readyz").statusCode()).isEqualTo(503);
    }
}
