package org.chroma402.lightning.nwc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.bolt11.Bolt11Invoice;
import org.chroma402.l402.testing.NodeScripts;
import org.chroma402.lightning.CreatedInvoice;
import org.chroma402.lightning.InvoiceNotFoundException;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.lightning.InvoiceState;
import org.chroma402.lightning.testing.sim.NostrRelaySimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The NWC backend against Alby's wallet service implementation ({@code NWCWalletService} from
 * {@code @getalby/sdk}, built on nostr-tools) over a loopback relay: our signatures, NIP-44
 * payloads and request shapes as a real wallet reads them, and its replies as we read them.
 */
class NwcAlbyWalletServiceTest {
    private final SecureRandom random = new SecureRandom();
    private NostrRelaySimulator relay;
    private Process wallet;
    private Writer walletInput;
    private BufferedReader walletOutput;
    private NwcBackend backend;

    @BeforeEach
    void start() throws Exception {
        NodeScripts.requireInstalled();
        relay = new NostrRelaySimulator().start();
        String walletSecret = randomHex();
        String clientSecret = randomHex();
        String clientPubkey = NostrKeys.fromSecretHex(clientSecret).publicKeyHex();
        wallet = new ProcessBuilder("node", "nwc-wallet-service.mjs", relay.url().toString(), walletSecret, clientPubkey)
                .directory(NodeScripts.directory().toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        walletInput = new OutputStreamWriter(wallet.getOutputStream(), StandardCharsets.UTF_8);
        walletOutput = new BufferedReader(new InputStreamReader(wallet.getInputStream(), StandardCharsets.UTF_8));
        assertThat(readLine()).isEqualTo("ready");
        String uri = "nostr+walletconnect://" + NostrKeys.fromSecretHex(walletSecret).publicKeyHex() + "?relay="
                + URLEncoder.encode(relay.url().toString(), StandardCharsets.UTF_8) + "&secret=" + clientSecret;
        backend = new NwcBackend(NwcConfig.of(uri, Duration.ofSeconds(10)), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (wallet != null) {
            walletInput.close();
            if (!wallet.waitFor(5, TimeUnit.SECONDS)) {
                wallet.destroyForcibly();
            }
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void receivesThroughAlbysWalletService() throws Exception {
        backend.checkHealth();
        Instant before = Instant.now().minusSeconds(1);
        CreatedInvoice created = backend.createInvoice(InvoiceRequest.withMemo(21_000, "Chroma402: colorize one photo",
                Duration.ofMinutes(10)));
        Bolt11Invoice invoice = Bolt11Decoder.decode(created.bolt11());
        assertThat(invoice.amountMsat()).hasValue(21_000);
        assertThat(invoice.expirySeconds()).isEqualTo(600);
        assertThat(created.expiresAt()).isAfter(before.plusSeconds(590));
        assertThat(relay.received()).anySatisfy(event -> assertThat(event).contains("nip44_v2"));

        assertThat(backend.lookupInvoice(created.paymentHash())).isInstanceOf(InvoiceState.Open.class);
        walletInput.write("settle " + created.paymentHash().hex() + "\n");
        walletInput.flush();
        assertThat(readLine()).isEqualTo("settled " + created.paymentHash().hex());
        InvoiceState state = backend.lookupInvoice(created.paymentHash());
        assertThat(state).isInstanceOf(InvoiceState.Paid.class);
        assertThat(((InvoiceState.Paid) state).preimage().matches(created.paymentHash())).isTrue();
    }

    @Test
    void anUnknownInvoiceIsNotFound() {
        assertThatThrownBy(() -> backend.lookupInvoice(PaymentHash.fromHex("42".repeat(32))))
                .isInstanceOf(InvoiceNotFoundException.class);
    }

    private String readLine() throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return walletOutput.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(60, TimeUnit.SECONDS);
    }

    private String randomHex() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
