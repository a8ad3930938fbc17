package org.chroma402.l402.macaroon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.chroma402.l402.RootKey;
import org.chroma402.l402.Vectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The go-macaroon compatible vectors of shared/docs/l402-facts.md, replayed one by one. */
class MacaroonVectorsTest {

    static Stream<Arguments> vectors() {
        JsonNode root = Vectors.load("macaroons.json");
        return StreamSupport.stream(root.get("vectors").spliterator(), false)
                .map(v -> Arguments.of(v.get("name").asText(), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void mintingReproducesSignatureAndEncoding(String name, JsonNode v) {
        Macaroon minted = MacaroonMinter.mint(RootKey.fromHex(v.get("root_key").asText()),
                v.get("location").asText(), HexFormat.of().parseHex(v.get("identifier").asText()), caveats(v));
        assertThat(HexFormat.of().formatHex(minted.signature())).isEqualTo(v.get("signature").asText());
        assertThat(minted.toBase64()).isEqualTo(v.get("base64").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodingGivesBackEveryField(String name, JsonNode v) throws Exception {
        Macaroon decoded = MacaroonCodec.decodeBase64(v.get("base64").asText());
        assertThat(decoded.location()).isEqualTo(v.get("location").asText());
        assertThat(HexFormat.of().formatHex(decoded.identifier())).isEqualTo(v.get("identifier").asText());
        assertThat(decoded.firstPartyCaveats()).isEqualTo(caveats(v));
        assertThat(HexFormat.of().formatHex(decoded.signature())).isEqualTo(v.get("signature").asText());
        assertThat(decoded.encode()).isEqualTo(java.util.Base64.getDecoder().decode(v.get("base64").asText()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void verifiesWithItsRootKeyOnly(String name, JsonNode v) throws Exception {
        Macaroon decoded = MacaroonCodec.decodeBase64(v.get("base64").asText());
        assertThat(MacaroonVerifier.verifySignature(decoded, RootKey.fromHex(v.get("root_key").asText()))).isTrue();
        assertThat(MacaroonVerifier.verifySignature(decoded, RootKey.fromHex("02".repeat(32)))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void acceptsUrlSafeAndUnpaddedBase64(String name, JsonNode v) throws Exception {
        String standard = v.get("base64").asText();
        String urlSafe = standard.replace('+', '-').replace('/', '_').replace("=", "");
        assertThat(MacaroonCodec.decodeBase64(urlSafe)).isEqualTo(MacaroonCodec.decodeBase64(standard));
    }

    private static List<String> caveats(JsonNode v) {
        List<String> out = new ArrayList<>();
        v.get("caveats").forEach(c -> out.add(c.asText()));
        return out;
    }
}
