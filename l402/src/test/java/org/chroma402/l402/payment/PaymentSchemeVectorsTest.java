package org.chroma402.l402.payment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.chroma402.l402.Vectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Aperture's published vectors for the Payment scheme (lightninglabs/aperture, mpp/testdata):
 * code nobody here wrote decides what our canonical JSON, base64url, headers, challenge ids,
 * credentials and receipts must be, byte for byte.
 */
class PaymentSchemeVectorsTest {
    private static final JsonNode VECTORS = Vectors.load("payment-scheme-aperture.json");

    @TestFactory
    Stream<DynamicTest> canonicalization() {
        return cases("canonicalization").map(v -> DynamicTest.dynamicTest(v.get("name").asText(), () -> {
            if (v.path("error").asBoolean()) {
                assertThrows(PaymentFormatException.class, () -> Jcs.canonicalize(v.get("input").asText()));
            } else {
                assertEquals(v.get("canonical").asText(), Jcs.canonicalize(v.get("input").asText()));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> base64url() {
        return cases("base64url").map(v -> DynamicTest.dynamicTest(v.get("name").asText(), () -> {
            String encoded = v.get("encoded").asText();
            if (v.path("error").asBoolean()) {
                assertThrows(PaymentFormatException.class, () -> Base64Url.decode(encoded));
                return;
            }
            byte[] bytes = HexFormat.of().parseHex(v.path("decodedHex").asText(""));
            assertArrayEquals(bytes, Base64Url.decode(encoded));
            if (v.get("canonical").asBoolean()) {
                assertEquals(encoded, Base64Url.encode(bytes));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> challengeHeaders() {
        return cases("challengeHeaders").map(v -> DynamicTest.dynamicTest(v.get("name").asText(), () -> {
            PaymentChallenge emitted = challenge(v.get("params"));
            assertEquals(v.get("header").asText(), emitted.format());
            List<PaymentChallenge> parsed = PaymentChallenge.parseAll(v.get("header").asText());
            assertEquals(List.of(challenge(v.get("parsed"))), parsed);
        }));
    }

    @TestFactory
    Stream<DynamicTest> challengeLists() {
        return cases("challengeLists").map(v -> DynamicTest.dynamicTest(v.get("name").asText(), () -> {
            String header = v.get("header").asText();
            if (v.path("error").asBoolean()) {
                assertThrows(PaymentFormatException.class, () -> PaymentChallenge.parseAll(header));
                return;
            }
            List<PaymentChallenge> expected = new ArrayList<>();
            v.get("challenges").forEach(c -> expected.add(challenge(c)));
            assertEquals(expected, PaymentChallenge.parseAll(header));
        }));
    }

    @TestFactory
    Stream<DynamicTest> challengeIds() {
        byte[] secret = HexFormat.of().parseHex(VECTORS.get("hmacSecretHex").asText());
        return cases("challengeIds").map(v -> DynamicTest.dynamicTest(v.get("name").asText(), () -> {
            PaymentChallenge c = challenge(v.get("params"));
            assertEquals(v.get("hmacInput").asText(), ChallengeBinding.hmacInput(c));
            assertEquals(c.id(), ChallengeBinding.id(secret, c));
            assertTrue(ChallengeBinding.verify(secret, c));
            assertTrue(!ChallengeBinding.verify(secret, c.withId(c.id().substring(1) + "A")));
        }));
    }

    @TestFactory
    Stream<DynamicTest> credentials() {
        return cases("credentials").map(v -> DynamicTest.dynamicTest(v.get("name").asText(), () -> {
            String header = v.get("header").asText();
            if (v.path("error").asBoolean()) {
                assertThrows(PaymentFormatException.class, () -> PaymentCredential.parse(header));
                return;
            }
            JsonNode json = PaymentJson.MAPPER.readTree(v.get("credentialJson").asText());
            PaymentCredential parsed = PaymentCredential.parse(header);
            assertEquals(PaymentCredential.strings(json.get("challenge")), parsed.challenge());
            assertEquals(PaymentCredential.strings(json.get("payload")), parsed.payload());
            assertEquals(json.path("source").isMissingNode() ? null : json.get("source").asText(), parsed.source());
            assertTrue(PaymentCredential.isPaymentScheme(header));
            // What we send parses back to the same credential, in canonical JSON.
            assertEquals(parsed, PaymentCredential.parse(parsed.format()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> chargeReceipts() {
        return cases("receipts").filter(v -> v.get("receiptJson").asText().startsWith("{\"status\""))
                .map(v -> DynamicTest.dynamicTest(v.get("name").asText(), () -> {
                    JsonNode json = PaymentJson.MAPPER.readTree(v.get("receiptJson").asText());
                    PaymentReceipt receipt = new PaymentReceipt(json.get("method").asText(), json.get("timestamp").asText(),
                            json.get("reference").asText(), json.has("challengeId") ? json.get("challengeId").asText() : null);
                    assertEquals(v.get("header").asText(), receipt.encode());
                    assertEquals(v.get("receiptJson").asText(),
                            new String(Base64Url.decode(receipt.encode()), StandardCharsets.UTF_8));
                }));
    }

    private static Stream<JsonNode> cases(String name) {
        List<JsonNode> list = new ArrayList<>();
        VECTORS.get(name).forEach(list::add);
        assertTrue(list.size() > 0, "no vectors named " + name);
        return list.stream();
    }

    private static PaymentChallenge challenge(JsonNode p) {
        return PaymentChallenge.fromParameters(PaymentCredential.strings(p));
    }
}
