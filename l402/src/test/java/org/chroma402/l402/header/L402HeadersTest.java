package org.chroma402.l402.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.chroma402.l402.Preimage;
import org.chroma402.l402.RootKey;
import org.chroma402.l402.Vectors;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.l402.macaroon.MacaroonMinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class L402HeadersTest {
    private static final Macaroon MACAROON =
            MacaroonMinter.mint(RootKey.fromHex("07".repeat(32)), "lsat", new byte[66], List.of("services=colorize:0"));
    private static final Preimage PREIMAGE = Preimage.fromHex("ab".repeat(32));

    static Stream<Arguments> challenges() {
        JsonNode root = Vectors.load("l402-headers.json");
        return StreamSupport.stream(root.get("challenges").spliterator(), false)
                .map(v -> Arguments.of(v.get("name").asText(), v));
    }

    static Stream<Arguments> credentials() {
        JsonNode root = Vectors.load("l402-headers.json");
        return StreamSupport.stream(root.get("credentials").spliterator(), false)
                .map(v -> Arguments.of(v.get("name").asText(), v));
    }

    @ParameterizedTest(name = "challenge: {0}")
    @MethodSource("challenges")
    void parsesChallenges(String name, JsonNode v) throws Exception {
        String header = v.get("header").asText();
        if (v.has("error")) {
            assertThatThrownBy(() -> L402Challenge.parse(header)).isInstanceOf(HeaderFormatException.class)
                    .hasMessageContaining(v.get("error").asText());
            return;
        }
        L402Challenge challenge = L402Challenge.parse(header);
        assertThat(challenge.macaroonBase64()).isEqualTo(v.get("macaroon").asText());
        assertThat(challenge.invoice()).isEqualTo(v.get("invoice").asText());
    }

    @ParameterizedTest(name = "credential: {0}")
    @MethodSource("credentials")
    void parsesCredentials(String name, JsonNode v) throws Exception {
        String header = v.get("header").asText().replace("$MACAROON", MACAROON.toBase64())
                .replace("$URLSAFE", MACAROON.toBase64().replace('+', '-').replace('/', '_').replace("=", ""));
        if (v.has("error")) {
            assertThatThrownBy(() -> L402Authorization.parse(header)).isInstanceOf(HeaderFormatException.class)
                    .hasMessageContaining(v.get("error").asText());
            assertThat(L402Authorization.tryParse(header)).isEmpty();
            return;
        }
        L402Authorization credential = L402Authorization.parse(header);
        assertThat(credential.scheme()).isEqualTo(v.get("scheme").asText());
        assertThat(credential.macaroons()).hasSize(v.get("macaroons").asInt());
        assertThat(credential.macaroon()).isEqualTo(MACAROON);
        assertThat(credential.preimage()).isEqualTo(PREIMAGE);
    }

    @Test
    void emitsTheMacaroonFormForBothSchemes() {
        L402Challenge challenge = L402Challenge.of(MACAROON, "lnbcrt1xyz");
        assertThat(challenge.format("LSAT")).isEqualTo("LSAT macaroon=\"" + MACAROON.toBase64() + "\", invoice=\"lnbcrt1xyz\"");
        assertThat(challenge.format("L402")).startsWith("L402 macaroon=\"");
    }

    @Test
    void emitsTheSpecificationsVersionedForm() {
        // protocol-specification.md (lightninglabs/L402, March 2026): L402 version="0", token="T", invoice="P".
        L402Challenge challenge = L402Challenge.of(MACAROON, "lnbcrt1xyz");
        assertThat(challenge.formatVersioned())
                .isEqualTo("L402 version=\"0\", token=\"" + MACAROON.toBase64() + "\", invoice=\"lnbcrt1xyz\"");
    }

    @Test
    void readsTheSpecificationsOwnExampleChallenge() throws Exception {
        // protocol-specification.md of lightninglabs/L402 (March 2026), verbatim.
        String example = "L402 version=\"0\", token=\"AGIAJEemVQUTEyNCR0exk7ek90Cg==\", invoice=\"lnbc1500n1pw5kjhmpp5fu6xhthlt2vucmzkx6c7wtlh2r625r30cyjsfqhu8rsx4xpz5lwqdpa2fjkzep6yptksct5yp5hxgrrv96hx6twvusycn3qv9jx7ur5d9hkugr5dusx6cqzpgxqr23s79ruapxc4j5uskt4htly2salw4drq979d7rcela9wz02elhypmdzmzlnxuknpgfyfm86pntt8vvkvffma5qc9n50h4mvqhngadqy3ngqjcym5a\"";
        L402Challenge parsed = L402Challenge.parse(example);
        assertThat(parsed.macaroonBase64()).isEqualTo("AGIAJEemVQUTEyNCR0exk7ek90Cg==");
        assertThat(parsed.invoice()).isEqualTo("lnbc1500n1pw5kjhmpp5fu6xhthlt2vucmzkx6c7wtlh2r625r30cyjsfqhu8rsx4xpz5lwqdpa2fjkzep6yptksct5yp5hxgrrv96hx6twvusycn3qv9jx7ur5d9hkugr5dusx6cqzpgxqr23s79ruapxc4j5uskt4htly2salw4drq979d7rcela9wz02elhypmdzmzlnxuknpgfyfm86pntt8vvkvffma5qc9n50h4mvqhngadqy3ngqjcym5a");
    }

    @Test
    void formattedHeadersParseBack() throws Exception {
        L402Challenge challenge = L402Challenge.of(MACAROON, "lnbcrt1xyz");
        assertThat(L402Challenge.parse(challenge.format("L402"))).isEqualTo(challenge);
        assertThat(L402Challenge.parse(challenge.formatVersioned())).isEqualTo(challenge);
        L402Authorization credential = L402Authorization.of(MACAROON, PREIMAGE);
        assertThat(L402Authorization.parse(credential.format())).isEqualTo(credential);
        assertThat(credential.toString()).doesNotContain(PREIMAGE.hex());
    }

    @Test
    void lngetsPatternFindsOurFirstChallenge() {
        // lnget reads only the first value with this case-insensitive pattern.
        java.util.regex.Pattern lnget = java.util.regex.Pattern.compile(
                "(LSAT|L402)\\s+macaroon=\"([^\"]+)\",\\s*invoice=\"([^\"]+)\"", java.util.regex.Pattern.CASE_INSENSITIVE);
        java.util.regex.Matcher m = lnget.matcher(L402Challenge.of(MACAROON, "lnbcrt1xyz").format("LSAT"));
        assertThat(m.find()).isTrue();
        assertThat(m.group(2)).isEqualTo(MACAROON.toBase64());
    }
}
