package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.x402.LightningRequirement;
import org.chroma402.l402.x402.PaymentRequired;
import org.chroma402.l402.x402.PaymentSignature;
import org.chroma402.lightning.CreatedInvoice;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.lightning.InvoiceState;
import org.chroma402.lightning.LightningException;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * x402 over Lightning, end to end over loopback: off by default (the 402 is unchanged and a
 * PAYMENT-SIGNATURE is no credential), and when on, the same rules as the other schemes: a paid
 * invoice this server issued for this request buys it once, replays give the same result, and
 * every refusal is typed.
 */
class X402SchemeTest {
    private static final String PATH = "/api/l402/colorize-image";
    private static final String PHOTO = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "tiny");
    private static final String OTHER = ApiClient.body(TestResources.bytes("fixtures/inputs/keller.png"), "tiny");
    private static final ServerConfig.Payments X402_ONLY = new ServerConfig.Payments(false, false,
            ServerConfig.Payments.L402Header.CLASSIC, true);
    /** BOLT11's first example: a valid invoice this server never issued. */
    private static final String FOREIGN_INVOICE = "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";

    @TempDir
    Path dir;

    private static LightningRequirement offer(HttpResponse<byte[]> response) throws Exception {
        return PaymentRequired.decode(response.headers().firstValue(PaymentRequired.HEADER).orElseThrow()).accepts().get(0);
    }

    private static String code(HttpResponse<byte[]> response) {
        return response.headers().firstValue("X-Error-Code").orElse("");
    }

    @Test
    void theDefault402HasNoX402OfferAndIgnoresAPaymentSignature() throws Exception {
        try (TestServer server = new TestServer(dir)) {
            ApiClient api = new ApiClient(server.base);
            HttpResponse<byte[]> first = api.post(PATH, PHOTO);
            assertThat(first.headers().firstValue(PaymentRequired.HEADER)).isEmpty();
            assertThat(first.headers().allValues("WWW-Authenticate")).hasSize(3);
            // Even a genuinely paid invoice of ours buys nothing while x402 is off.
            String invoice = ApiClient.json(first).get("invoice").asText();
            api.devPay(invoice);
            LightningRequirement forged = LightningRequirement.of(org.chroma402.l402.bolt11.Network.REGTEST,
                    ApiClient.json(first).get("amount_msat").asLong(), 600, invoice);
            HttpResponse<byte[]> second = api.post(PATH, PHOTO, PaymentSignature.HEADER, PaymentSignature.of(forged).encode());
            assertThat(second.statusCode()).isEqualTo(402);
            assertThat(code(second)).isEqualTo("payment_required");
        }
    }

    @Test
    void anX402OnlyServerOffersTheInvoiceInPaymentRequired() throws Exception {
        try (TestServer server = new TestServer(dir, TestServer.Options.defaults().withPayments(X402_ONLY))) {
            HttpResponse<byte[]> response = new ApiClient(server.base).post(PATH, PHOTO);
            assertThat(response.statusCode()).isEqualTo(402);
            assertThat(response.headers().allValues("WWW-Authenticate")).isEmpty();
            JsonNode body = ApiClient.json(response);
            JsonNode header = ApiClient.JSON.readTree(Base64.getDecoder().decode(
                    response.headers().firstValue(PaymentRequired.HEADER).orElseThrow()));
            assertThat(header.get("x402Version").asInt()).isEqualTo(2);
            assertThat(header.get("resource").get("url").asText()).isEqualTo(server.base + PATH);
            JsonNode entry = header.get("accepts").get(0);
            assertThat(entry.get("scheme").asText()).isEqualTo("exact");
            assertThat(entry.get("network").asText()).isEqualTo("bip122:0f9188f13cb7b2c71f2a335e3a4fc328");
            assertThat(entry.get("amount").asText()).isEqualTo(body.get("amount_msat").asText());
            assertThat(entry.get("asset").asText()).isEqualTo("BTC");
            assertThat(entry.get("maxTimeoutSeconds").asLong()).isBetween(1L, 600L);
            assertThat(entry.get("extra").get("paymentMethod").asText()).isEqualTo("lightning");
            assertThat(entry.get("extra").get("invoice").asText()).isEqualTo(body.get("invoice").asText());
        }
    }

    @Test
    void aPaidInvoiceBuysTheRequestOnceAndReplaysTheSameResult() throws Exception {
        try (TestServer server = new TestServer(dir, TestServer.Options.defaults().withPayments(X402_ONLY))) {
            ApiClient api = new ApiClient(server.base);
            LightningRequirement offer = offer(api.post(PATH, PHOTO));
            api.devPay(offer.invoice());
            String signature = PaymentSignature.of(offer).encode();

            HttpResponse<byte[]> paid = api.post(PATH, PHOTO, PaymentSignature.HEADER, signature);
            assertThat(paid.statusCode()).as(new String(paid.body())).isEqualTo(200);
            JsonNode settlement = ApiClient.JSON.readTree(Base64.getDecoder().decode(
                    paid.headers().firstValue("PAYMENT-RESPONSE").orElseThrow()));
            assertThat(settlement.get("success").asBoolean()).isTrue();
            assertThat(settlement.get("transaction").asText()).isEqualTo(offer.invoice());
            assertThat(paid.headers().firstValue("Payment-Receipt")).isEmpty();

            HttpResponse<byte[]> replay = api.post(PATH, PHOTO, PaymentSignature.HEADER, signature);
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(ApiClient.json(replay).get("image_url")).isEqualTo(ApiClient.json(paid).get("image_url"));
            assertThat(server.invoiceCount()).as("no invoice beyond the one paid").isEqualTo(1);
        }
    }

    @Test
    void refusalsAreTypedAndComeWithAFreshOffer() throws Exception {
        try (TestServer server = new TestServer(dir, TestServer.Options.defaults().withPayments(X402_ONLY))) {
            ApiClient api = new ApiClient(server.base);
            LightningRequirement offer = offer(api.post(PATH, PHOTO));
            String signature = PaymentSignature.of(offer).encode();

            HttpResponse<byte[]> unpaid = api.post(PATH, PHOTO, PaymentSignature.HEADER, signature);
            assertThat(unpaid.statusCode()).isEqualTo(402);
            assertThat(code(unpaid)).isEqualTo("unpaid");
            assertThat(offer(unpaid).invoice()).isNotEqualTo(offer.invoice());

            api.devPay(offer.invoice());
            // Someone who saw the 402 holds the same paid invoice: it buys only the photo it was issued for.
            HttpResponse<byte[]> other = api.post(PATH, OTHER, PaymentSignature.HEADER, signature);
            assertThat(code(other)).isEqualTo("other_request");

            LightningRequirement cheaper = new LightningRequirement("exact", offer.network(), 1000, "BTC", "anonymous",
                    600, offer.invoice());
            HttpResponse<byte[]> misquoted = api.post(PATH, PHOTO, PaymentSignature.HEADER, PaymentSignature.of(cheaper).encode());
            assertThat(code(misquoted)).isEqualTo("unknown_key");

            LightningRequirement foreign = LightningRequirement.of(org.chroma402.l402.bolt11.Network.MAINNET, 250_000_000,
                    600, FOREIGN_INVOICE);
            HttpResponse<byte[]> notOurs = api.post(PATH, PHOTO, PaymentSignature.HEADER, PaymentSignature.of(foreign).encode());
            assertThat(code(notOurs)).isEqualTo("unknown_key");

            HttpResponse<byte[]> malformed = api.post(PATH, PHOTO, PaymentSignature.HEADER, "bm90IGpzb24=");
            assertThat(malformed.statusCode()).isEqualTo(401);
            assertThat(code(malformed)).isEqualTo("malformed");
            assertThat(malformed.headers().firstValue(PaymentRequired.HEADER)).isPresent();

            // Credentials for something else in Authorization (a proxy's) do not hide the payment.
            HttpResponse<byte[]> paid = api.post(PATH, PHOTO, "Authorization", "Basic dXNlcjpwYXNz",
                    PaymentSignature.HEADER, signature);
            assertThat(paid.statusCode()).as(new String(paid.body())).isEqualTo(200);
        }
    }

    @Test
    void aNodeThatCannotSayIfTheInvoiceWasPaidIsATryAgainNotANewInvoice() throws Exception {
        AtomicBoolean down = new AtomicBoolean();
        try (TestServer server = new TestServer(dir, TestServer.Options.defaults().withPayments(X402_ONLY)
                .withBackend(b -> new LookupsCanFail(b, down)))) {
            ApiClient api = new ApiClient(server.base);
            LightningRequirement offer = offer(api.post(PATH, PHOTO));
            api.devPay(offer.invoice());
            down.set(true);
            HttpResponse<byte[]> response = api.post(PATH, PHOTO, PaymentSignature.HEADER, PaymentSignature.of(offer).encode());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(code(response)).isEqualTo("lightning_unavailable");
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(server.invoiceCount()).isEqualTo(1);
        }
    }

    /** The dev node, whose invoice lookups fail while {@code down} is set. */
    private record LookupsCanFail(InvoiceBackend inner, AtomicBoolean down) implements InvoiceBackend {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public CreatedInvoice createInvoice(InvoiceRequest request) {
            return inner.createInvoice(request);
        }

        @Override
        public InvoiceState lookupInvoice(PaymentHash paymentHash) {
            if (down.get()) {
                throw new LightningException("the node does not answer");
            }
            return inner.lookupInvoice(paymentHash);
        }

        @Override
        public void checkHealth() {
            inner.checkHealth();
        }
    }
}
