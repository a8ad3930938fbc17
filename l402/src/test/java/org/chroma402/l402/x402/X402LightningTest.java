package org.chroma402.l402.x402;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.chroma402.l402.bolt11.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * x402's Lightning headers against the open proposal's examples (coinbase/x402
 * {@code specs/schemes/exact/scheme_exact_lightning.md}) and what Alby's {@code fetch402}
 * (@getalby/lightning-tools 9.0.1, {@code buildX402PaymentSignature}) writes.
 */
class X402LightningTest {
    private static final String MAINNET = "bip122:000000000019d6689c085ae165831e93";
    /** The proposal's requirement, invoice shortened; the next two were written by node with Alby's encoding. */
    private static final LightningRequirement PROPOSAL_REQUIREMENT = new LightningRequirement("exact", MAINNET, 100_000,
            "BTC", "anonymous", 3600, "lnbc1u1p3example");
    /** btoa(JSON.stringify({x402Version: 2, scheme, network, payload: {invoice}, accepted: requirements})). */
    private static final String ALBY_SIGNATURE = "eyJ4NDAyVmVyc2lvbiI6Miwic2NoZW1lIjoiZXhhY3QiLCJuZXR3b3JrIjoiYmlwMTIyOjAwMDAwMDAwMDAxOWQ2Njg5YzA4NWFlMTY1ODMxZTkzIiwicGF5bG9hZCI6eyJpbnZvaWNlIjoibG5iYzF1MXAzZXhhbXBsZSJ9LCJhY2NlcHRlZCI6eyJzY2hlbWUiOiJleGFjdCIsIm5ldHdvcmsiOiJiaXAxMjI6MDAwMDAwMDAwMDE5ZDY2ODljMDg1YWUxNjU4MzFlOTMiLCJhbW91bnQiOiIxMDAwMDAiLCJhc3NldCI6IkJUQyIsInBheVRvIjoiYW5vbnltb3VzIiwibWF4VGltZW91dFNlY29uZHMiOjM2MDAsImV4dHJhIjp7InBheW1lbnRNZXRob2QiOiJsaWdodG5pbmciLCJpbnZvaWNlIjoibG5iYzF1MXAzZXhhbXBsZSJ9fX0=";
    /** The proposal's full PaymentPayload: resource and accepted, no top-level scheme or network. */
    private static final String PROPOSAL_SIGNATURE = "eyJ4NDAyVmVyc2lvbiI6MiwicmVzb3VyY2UiOnsidXJsIjoiaHR0cHM6Ly9leGFtcGxlLmNvbS93ZWF0aGVyIiwiZGVzY3JpcHRpb24iOiJBY2Nlc3MgdG8gcHJvdGVjdGVkIGNvbnRlbnQiLCJtaW1lVHlwZSI6ImFwcGxpY2F0aW9uL2pzb24ifSwiYWNjZXB0ZWQiOnsic2NoZW1lIjoiZXhhY3QiLCJuZXR3b3JrIjoiYmlwMTIyOjAwMDAwMDAwMDAxOWQ2Njg5YzA4NWFlMTY1ODMxZTkzIiwiYW1vdW50IjoiMTAwMDAwIiwiYXNzZXQiOiJCVEMiLCJwYXlUbyI6ImFub255bW91cyIsIm1heFRpbWVvdXRTZWNvbmRzIjozNjAwLCJleHRyYSI6eyJwYXltZW50TWV0aG9kIjoibGlnaHRuaW5nIiwiaW52b2ljZSI6ImxuYmMxdTFwM2V4YW1wbGUifX0sInBheWxvYWQiOnsiaW52b2ljZSI6ImxuYmMxdTFwM2V4YW1wbGUifX0=";

    @Test
    void readsThePaymentSignatureAlbysClientSends() throws Exception {
        PaymentSignature parsed = PaymentSignature.parse(ALBY_SIGNATURE);

        assertThat(parsed.invoice()).isEqualTo("lnbc1u1p3example");
        assertThat(parsed.accepted()).isEqualTo(PROPOSAL_REQUIREMENT);
    }

    @Test
    void readsTheProposalsPaymentPayload() throws Exception {
        assertThat(PaymentSignature.parse(PROPOSAL_SIGNATURE).accepted()).isEqualTo(PROPOSAL_REQUIREMENT);
    }

    @Test
    void writesThePaymentSignatureAsAlbysClientDoes() throws Exception {
        assertThat(PaymentSignature.of(PROPOSAL_REQUIREMENT).encode()).isEqualTo(ALBY_SIGNATURE);
    }

    @Test
    void paymentRequiredHasTheShapeAlbysClientLooksFor() throws Exception {
        PaymentRequired required = new PaymentRequired("payment required",
                new PaymentRequired.Resource("https://example.com/api", "one photo", "application/json"),
                java.util.List.of(LightningRequirement.of(Network.MAINNET, 402_000, 600, "lnbc4020n1pexample")));

        JsonNode json = X402Json.MAPPER.readTree(Base64.getDecoder().decode(required.encode()));

        assertThat(json.get("x402Version").asInt()).isEqualTo(2);
        JsonNode entry = json.get("accepts").get(0);
        // Alby: accepts.find(e => e?.extra?.paymentMethod === "lightning"), then invoice.amountRaw == amount (msat).
        assertThat(entry.get("extra").get("paymentMethod").asText()).isEqualTo("lightning");
        assertThat(entry.get("extra").get("invoice").asText()).isEqualTo("lnbc4020n1pexample");
        assertThat(entry.get("amount").isTextual()).isTrue();
        assertThat(entry.get("amount").asText()).isEqualTo("402000");
        assertThat(entry.get("network").asText()).isEqualTo(MAINNET);
        assertThat(entry.get("scheme").asText()).isEqualTo("exact");
        assertThat(json.get("resource").get("url").asText()).isEqualTo("https://example.com/api");
        assertThat(PaymentRequired.decode(required.encode())).isEqualTo(required);
    }

    @Test
    void paymentRequiredWithoutALightningEntryOffersNothingToALightningClient() {
        String usdcOnly = b64("{\"x402Version\":2,\"accepts\":[{\"scheme\":\"exact\",\"network\":\"eip155:8453\","
                + "\"amount\":\"10000\",\"asset\":\"0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913\",\"payTo\":\"0x1\"}]}");

        assertThatThrownBy(() -> PaymentRequired.decode(usdcOnly)).isInstanceOf(X402FormatException.class)
                .hasMessageContaining("no Lightning");
    }

    @Test
    void settlementResponseNamesTheInvoiceAsTheTransaction() throws Exception {
        JsonNode json = X402Json.MAPPER.readTree(Base64.getDecoder().decode(
                new SettlementResponse("lnbc1u1p3example", MAINNET, 1_739_116_800L).encode()));

        assertThat(json.get("success").asBoolean()).isTrue();
        assertThat(json.get("transaction").asText()).isEqualTo("lnbc1u1p3example");
        assertThat(json.get("payer").asText()).isEqualTo("anonymous");
        assertThat(json.get("extra").get("settledAt").asLong()).isEqualTo(1_739_116_800L);
    }

    @Test
    void namesEveryChainTheWayCaip2Does() {
        assertThat(LightningRequirement.caip2(Network.MAINNET)).isEqualTo(MAINNET);
        assertThat(LightningRequirement.caip2(Network.TESTNET)).isEqualTo("bip122:000000000933ea01ad0ee984209779ba");
        assertThat(LightningRequirement.caip2(Network.REGTEST)).isEqualTo("bip122:0f9188f13cb7b2c71f2a335e3a4fc328");
    }

    @Test
    void urlSafeAndUnpaddedBase64AreReadToo() throws Exception {
        String urlSafe = ALBY_SIGNATURE.replace('+', '-').replace('/', '_').replace("=", "");

        assertThat(PaymentSignature.parse(urlSafe)).isEqualTo(PaymentSignature.parse(ALBY_SIGNATURE));
    }

    private static final String ACCEPTED = "{\"scheme\":\"exact\",\"network\":\"" + MAINNET + "\",\"amount\":\"100000\","
            + "\"extra\":{\"paymentMethod\":\"lightning\",\"invoice\":\"lnbc1\"}}";

    static Stream<Arguments> refusedSignatures() {
        return Stream.of(
                Arguments.of("version 1", "{\"x402Version\":1,\"accepted\":" + ACCEPTED + ",\"payload\":{\"invoice\":\"lnbc1\"}}"),
                Arguments.of("no version", "{\"accepted\":" + ACCEPTED + ",\"payload\":{\"invoice\":\"lnbc1\"}}"),
                Arguments.of("a version as a string", "{\"x402Version\":\"2\",\"accepted\":" + ACCEPTED + ",\"payload\":{\"invoice\":\"lnbc1\"}}"),
                Arguments.of("no accepted entry", "{\"x402Version\":2,\"payload\":{\"invoice\":\"lnbc1\"}}"),
                Arguments.of("another invoice in the payload (substitution)",
                        "{\"x402Version\":2,\"accepted\":" + ACCEPTED + ",\"payload\":{\"invoice\":\"lnbc2\"}}"),
                Arguments.of("no payload", "{\"x402Version\":2,\"accepted\":" + ACCEPTED + "}"),
                Arguments.of("an EVM entry", "{\"x402Version\":2,\"accepted\":{\"scheme\":\"exact\",\"network\":\"eip155:8453\","
                        + "\"amount\":\"1\",\"extra\":{\"name\":\"USDC\"}},\"payload\":{\"signature\":\"0x\"}}"),
                Arguments.of("a top-level network that differs from accepted's", "{\"x402Version\":2,\"network\":\"bip122:x\","
                        + "\"accepted\":" + ACCEPTED + ",\"payload\":{\"invoice\":\"lnbc1\"}}"),
                Arguments.of("an amount as a number", "{\"x402Version\":2,\"accepted\":" + ACCEPTED.replace("\"100000\"", "100000")
                        + ",\"payload\":{\"invoice\":\"lnbc1\"}}"),
                Arguments.of("a negative amount", "{\"x402Version\":2,\"accepted\":" + ACCEPTED.replace("\"100000\"", "\"-5\"")
                        + ",\"payload\":{\"invoice\":\"lnbc1\"}}"),
                Arguments.of("a duplicate member (last would win)", "{\"x402Version\":2,\"accepted\":" + ACCEPTED
                        + ",\"payload\":{\"invoice\":\"lnbc1\",\"invoice\":\"lnbc2\"}}"),
                Arguments.of("deeply nested JSON", "[".repeat(5000)),
                Arguments.of("a JSON array", "[]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedSignatures")
    void refusesWhatIsNotALightningPaymentOfVersion2(String name, String json) {
        assertThatThrownBy(() -> PaymentSignature.parse(b64(json))).isInstanceOf(X402FormatException.class);
    }

    @Test
    void refusesWhatIsNotBase64OrTooLong() {
        assertThatThrownBy(() -> PaymentSignature.parse("not base64!")).isInstanceOf(X402FormatException.class);
        assertThatThrownBy(() -> PaymentSignature.parse("A".repeat(300_000))).isInstanceOf(X402FormatException.class);
        assertThatThrownBy(() -> PaymentSignature.parse("")).isInstanceOf(X402FormatException.class);
    }

    private static String b64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
