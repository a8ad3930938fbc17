package org.chroma402.lightning.nwc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** NIP-44 v2 against every published vector (paulmillr/nip44), plus a tamper property. */
class Nip44Test {
    private static final HexFormat HEX = HexFormat.of();
    private static final JsonNode V2 = load();

    private static JsonNode load() {
        try (InputStream in = Nip44Test.class.getResourceAsStream("/vectors/nip44.vectors.json")) {
            return new ObjectMapper().readTree(in).get("v2");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> conversationKeys() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : V2.at("/valid/get_conversation_key")) {
            tests.add(DynamicTest.dynamicTest(v.get("conversation_key").asText(), () -> assertThat(
                    HEX.formatHex(Nip44.conversationKey(NostrKeys.fromSecretHex(v.get("sec1").asText()), v.get("pub2").asText())))
                    .isEqualTo(v.get("conversation_key").asText())));
        }
        for (JsonNode v : V2.at("/invalid/get_conversation_key")) {
            tests.add(DynamicTest.dynamicTest("invalid: " + v.get("note").asText(), () -> assertThatThrownBy(
                    () -> Nip44.conversationKey(NostrKeys.fromSecretHex(v.get("sec1").asText()), v.get("pub2").asText()))
                    .isInstanceOf(NostrException.class)));
        }
        return tests.stream();
    }

    @Test
    void messageKeys() {
        JsonNode v = V2.at("/valid/get_message_keys");
        byte[] conversationKey = HEX.parseHex(v.get("conversation_key").asText());
        for (JsonNode k : v.get("keys")) {
            byte[][] keys = Nip44.messageKeys(conversationKey, HEX.parseHex(k.get("nonce").asText()));
            assertThat(HEX.formatHex(keys[0])).isEqualTo(k.get("chacha_key").asText());
            assertThat(HEX.formatHex(keys[1])).isEqualTo(k.get("chacha_nonce").asText());
            assertThat(HEX.formatHex(keys[2])).isEqualTo(k.get("hmac_key").asText());
        }
    }

    @Test
    void paddedLengths() {
        for (JsonNode pair : V2.at("/valid/calc_padded_len")) {
            assertThat(Nip44.paddedLength(pair.get(0).asInt())).as("padded length of %d", pair.get(0).asInt())
                    .isEqualTo(pair.get(1).asInt());
        }
    }

    @TestFactory
    Stream<DynamicTest> encryptAndDecrypt() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : V2.at("/valid/encrypt_decrypt")) {
            tests.add(DynamicTest.dynamicTest(v.get("plaintext").asText(), () -> {
                NostrKeys one = NostrKeys.fromSecretHex(v.get("sec1").asText());
                NostrKeys two = NostrKeys.fromSecretHex(v.get("sec2").asText());
                byte[] key = Nip44.conversationKey(one, two.publicKeyHex());
                assertThat(HEX.formatHex(key)).isEqualTo(v.get("conversation_key").asText());
                assertThat(Nip44.conversationKey(two, one.publicKeyHex())).isEqualTo(key);
                String payload = Nip44.encrypt(v.get("plaintext").asText(), key, HEX.parseHex(v.get("nonce").asText()));
                assertThat(payload).isEqualTo(v.get("payload").asText());
                assertThat(Nip44.decrypt(payload, key)).isEqualTo(v.get("plaintext").asText());
            }));
        }
        return tests.stream();
    }

    @Test
    void longMessages() throws Exception {
        for (JsonNode v : V2.at("/valid/encrypt_decrypt_long_msg")) {
            String plaintext = v.get("pattern").asText().repeat(v.get("repeat").asInt());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            assertThat(HEX.formatHex(sha.digest(plaintext.getBytes(StandardCharsets.UTF_8))))
                    .isEqualTo(v.get("plaintext_sha256").asText());
            byte[] key = HEX.parseHex(v.get("conversation_key").asText());
            String payload = Nip44.encrypt(plaintext, key, HEX.parseHex(v.get("nonce").asText()));
            assertThat(HEX.formatHex(sha.digest(payload.getBytes(StandardCharsets.UTF_8))))
                    .isEqualTo(v.get("payload_sha256").asText());
            assertThat(Nip44.decrypt(payload, key)).isEqualTo(plaintext);
        }
    }

    @TestFactory
    Stream<DynamicTest> invalidPayloadsAreRefused() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : V2.at("/invalid/decrypt")) {
            tests.add(DynamicTest.dynamicTest(v.get("note").asText(), () -> assertThatThrownBy(
                    () -> Nip44.decrypt(v.get("payload").asText(), HEX.parseHex(v.get("conversation_key").asText())))
                    .isInstanceOf(NostrException.class)));
        }
        return tests.stream();
    }

    @Test
    void messagesOfInvalidLengthAreRefused() {
        byte[] key = new byte[32];
        assertThatThrownBy(() -> Nip44.encrypt("", key, new SecureRandom())).isInstanceOf(NostrException.class);
        assertThatThrownBy(() -> Nip44.encrypt("x".repeat(65536), key, new SecureRandom())).isInstanceOf(NostrException.class);
    }

    /** Any single flipped bit anywhere in a payload is caught, never decrypted into something else. */
    @Test
    void everyFlippedBitIsDetected() {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        random.nextBytes(key);
        String payload = Nip44.encrypt("{\"method\":\"make_invoice\"}", key, random);
        byte[] data = java.util.Base64.getDecoder().decode(payload);
        for (int i = 0; i < data.length * 8; i += 7) {
            byte[] tampered = data.clone();
            tampered[i / 8] ^= (byte) (1 << (i % 8));
            String bad = java.util.Base64.getEncoder().encodeToString(tampered);
            assertThatThrownBy(() -> Nip44.decrypt(bad, key)).isInstanceOf(NostrException.class);
        }
    }
}
