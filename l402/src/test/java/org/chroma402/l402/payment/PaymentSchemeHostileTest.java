package org.chroma402.l402.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Payment-scheme headers as an attacker writes them: refused with a {@link PaymentFormatException}
 * (never another exception), in time linear in their length.
 */
class PaymentSchemeHostileTest {

    private static String credential(String json) {
        return "Payment " + Base64Url.encode(json.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> hostileCredentials() {
        return Stream.of(
                Arguments.of("deeply nested JSON", credential("[".repeat(5000))),
                Arguments.of("a challenge that is a string", credential("{\"challenge\":\"x\",\"payload\":{}}")),
                Arguments.of("an id that is a number", credential("{\"challenge\":{\"id\":1},\"payload\":{}}")),
                Arguments.of("an empty id", credential("{\"challenge\":{\"id\":\"\"},\"payload\":{}}")),
                Arguments.of("a payload that is an array", credential("{\"challenge\":{\"id\":\"a\"},\"payload\":[]}")),
                Arguments.of("a JSON array", credential("[]")),
                Arguments.of("trailing garbage after the scheme", "Payment a b c"),
                Arguments.of("a huge string", credential("{\"challenge\":{\"id\":\"" + "a".repeat(20_000) + "\"},\"payload\":{}}")),
                Arguments.of("an over-long header", "Payment " + "A".repeat(300_000)),
                Arguments.of("NaN", credential("{\"challenge\":{\"id\":\"a\",\"n\":NaN},\"payload\":{}}")),
                // Strict parsing: what we judge is what every other reader of the bytes would see.
                Arguments.of("a duplicate key (last would win)", credential(
                        "{\"challenge\":{\"id\":\"a\",\"id\":\"b\"},\"payload\":{\"preimage\":\"00\"}}")),
                Arguments.of("a duplicate challenge", credential(
                        "{\"challenge\":{\"id\":\"a\"},\"challenge\":{\"id\":\"b\"},\"payload\":{}}")),
                Arguments.of("garbage after the JSON", credential("{\"challenge\":{\"id\":\"a\"},\"payload\":{}} trailing")),
                Arguments.of("a second JSON value", credential("{\"challenge\":{\"id\":\"a\"},\"payload\":{}}{}")),
                Arguments.of("an echoed parameter that is not a string", credential(
                        "{\"challenge\":{\"id\":\"a\",\"expires\":1},\"payload\":{}}")));
    }

    @ParameterizedTest(name = "refuses {0}")
    @MethodSource("hostileCredentials")
    void refusesCredentialsWithATypedError(String name, String header) {
        assertThatThrownBy(() -> PaymentCredential.parse(header)).isInstanceOf(PaymentFormatException.class);
    }

    @Test
    void challengeParsingStaysLinearOnPathologicalHeaders() {
        for (String header : new String[] {"Payment " + "a=".repeat(8000), "Payment id=\"" + "\\".repeat(16000),
                ",".repeat(16000), "Payment " + "x ".repeat(8000), "Payment id=\"" + "a\\\"".repeat(5000) + "\""}) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> PaymentChallenge.parseAll(header)).isInstanceOf(PaymentFormatException.class);
            assertThat(System.nanoTime() - start).as("parse time").isLessThan(1_000_000_000L);
        }
    }

    @Property(tries = 2000)
    void anyChallengeTextParsesOrIsRefusedWithATypedError(@ForAll String header) {
        try {
            assertThat(PaymentChallenge.parseAll("Payment " + header)).isNotEmpty();
        } catch (PaymentFormatException expected) {
            // refused, as it should be for most of them
        }
    }

    @Property(tries = 2000)
    void anyCredentialTextParsesOrIsRefusedWithATypedError(@ForAll String token) {
        try {
            PaymentCredential.parse("Payment " + token);
        } catch (PaymentFormatException expected) {
            // refused
        }
    }

    @Property(tries = 500)
    void anyJsonishCredentialParsesOrIsRefusedWithATypedError(@ForAll String json) {
        try {
            PaymentCredential.parse(credential("{\"challenge\":{\"id\":\"a\"},\"payload\":" + json + "}"));
        } catch (PaymentFormatException expected) {
            // refused
        }
    }
}
