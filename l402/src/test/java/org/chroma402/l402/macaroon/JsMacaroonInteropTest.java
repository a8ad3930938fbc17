package org.chroma402.l402.macaroon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.chroma402.l402.MacaroonIdentifier;
import org.chroma402.l402.Preimage;
import org.chroma402.l402.RootKey;
import org.chroma402.l402.TokenId;
import org.chroma402.l402.testing.NodeScripts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chroma402's macaroons against js-macaroon from npm, in both directions: js-macaroon reads and
 * verifies what we mint, and we read and verify what it mints.
 */
class JsMacaroonInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void needsNode() {
        NodeScripts.requireInstalled();
    }

    @Test
    void bothImplementationsReadAndVerifyEachOther() throws Exception {
        SecureRandom random = new SecureRandom();
        ObjectNode input = JSON.createObjectNode();
        ArrayNode verify = input.putArray("verify");
        ArrayNode mint = input.putArray("mint");
        List<Macaroon> ours = new ArrayList<>();
        List<RootKey> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RootKey key = RootKey.random(random);
            byte[] identifier = MacaroonIdentifier.of(Preimage.random(random).hash(), TokenId.random(random)).encode();
            List<String> caveats = List.of("services=colorize:0", "colorize_valid_until=" + (1_800_000_000 + i),
                    "colorize_request=" + "ab".repeat(32), "note=ünïcode " + i);
            Macaroon m = MacaroonMinter.mint(key, i % 2 == 0 ? "chroma402" : "", identifier, caveats.subList(0, 1 + i % 4));
            ours.add(m);
            keys.add(key);
            ObjectNode v = verify.addObject();
            v.put("base64", m.toBase64());
            v.put("root_key", key.hex());
            ObjectNode t = mint.addObject();
            t.put("identifier", HexFormat.of().formatHex(identifier));
            t.put("location", "js");
            t.put("root_key", key.hex());
            t.putArray("caveats").add("services=colorize:0").add("colorize_valid_until=" + (1_900_000_000 + i));
        }
        // The 2026 challenge form: js-macaroon reads the token="…" value of our versioned L402 line.
        ObjectNode versioned = verify.addObject();
        versioned.put("challenge", org.chroma402.l402.header.L402Challenge.of(ours.get(1), "lnbcrt1x").formatVersioned());
        versioned.put("root_key", keys.get(1).hex());
        // A wrong key must fail in js-macaroon too.
        ObjectNode wrong = verify.addObject();
        wrong.put("base64", ours.get(0).toBase64());
        wrong.put("root_key", "00".repeat(32));

        JsonNode out = JSON.readTree(NodeScripts.run("macaroons.mjs", input.toString()));
        for (int i = 0; i < ours.size(); i++) {
            JsonNode c = out.get("checked").get(i);
            Macaroon m = ours.get(i);
            assertThat(c.get("verified").asBoolean()).as(c.toString()).isTrue();
            assertThat(c.get("identifier").asText()).isEqualTo(HexFormat.of().formatHex(m.identifier()));
            assertThat(c.get("signature").asText()).isEqualTo(HexFormat.of().formatHex(m.signature()));
            assertThat(c.get("location").asText()).isEqualTo(m.location());
            List<String> caveats = new ArrayList<>();
            c.get("caveats").forEach(x -> caveats.add(x.asText()));
            assertThat(caveats).isEqualTo(m.firstPartyCaveats());
        }
        JsonNode fromChallenge = out.get("checked").get(ours.size());
        assertThat(fromChallenge.get("verified").asBoolean()).as(fromChallenge.toString()).isTrue();
        assertThat(fromChallenge.get("signature").asText()).isEqualTo(HexFormat.of().formatHex(ours.get(1).signature()));
        assertThat(out.get("checked").get(ours.size() + 1).get("verified").asBoolean()).isFalse();

        for (int i = 0; i < keys.size(); i++) {
            Macaroon theirs = MacaroonCodec.decodeBase64(out.get("minted").get(i).get("base64").asText());
            assertThat(MacaroonVerifier.verifySignature(theirs, keys.get(i))).isTrue();
            assertThat(theirs.location()).isEqualTo("js");
            assertThat(theirs.firstPartyCaveats()).containsExactly("services=colorize:0",
                    "colorize_valid_until=" + (1_900_000_000 + i));
            assertThat(MacaroonIdentifier.decode(theirs.identifier()).encode()).isEqualTo(ours.get(i).identifier());
        }
    }
}
