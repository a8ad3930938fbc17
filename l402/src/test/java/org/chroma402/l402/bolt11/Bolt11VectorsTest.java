package org.chroma402.l402.bolt11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.chroma402.l402.Vectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example invoice of BOLT #11, valid and invalid. */
class Bolt11VectorsTest {
    private static final JsonNode VALID = Vectors.load("bolt11-valid.json");
    private static final NodeKey SPEC_KEY = NodeKey.fromHex(VALID.get("private_key").asText());

    static Stream<Arguments> valid() {
        return StreamSupport.stream(VALID.get("valid").spliterator(), false)
                .map(v -> Arguments.of(v.get("name").asText(), v.get("invoice").asText(), v.get("expected")));
    }

    static Stream<Arguments> invalid() {
        return StreamSupport.stream(Vectors.load("bolt11-invalid.json").get("invalid").spliterator(), false)
                .map(v -> Arguments.of(v.get("name").asText(), v.get("invoice").asText(),
                        v.get("error_contains").asText()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void decodesToTheFieldsTheSpecLists(String name, String invoice, JsonNode e) throws Exception {
        Bolt11Invoice decoded = Bolt11Decoder.decode(invoice);
        assertThat(decoded.signatureValid()).isTrue();
        assertThat(decoded.network().name()).isEqualTo(e.get("network").asText());
        if (e.get("amount_msat").isNull()) {
            assertThat(decoded.amountMsat()).isEmpty();
        } else {
            assertThat(decoded.amountMsat()).hasValue(e.get("amount_msat").asLong());
        }
        assertThat(decoded.timestamp().getEpochSecond()).isEqualTo(e.get("timestamp").asLong());
        assertThat(decoded.paymentHash().hex()).isEqualTo(e.get("payment_hash").asText());
        assertThat(HexFormat.of().formatHex(decoded.paymentSecret())).isEqualTo(e.get("payment_secret").asText());
        assertThat(decoded.description().orElse(null)).isEqualTo(text(e.get("description")));
        assertThat(decoded.descriptionHash().map(HexFormat.of()::formatHex).orElse(null)).isEqualTo(text(e.get("description_hash")));
        assertThat(decoded.expirySeconds()).isEqualTo(e.get("expiry").asLong());
        assertThat(decoded.minFinalCltvExpiry()).isEqualTo(e.get("min_final_cltv_expiry").asInt());
        List<Integer> features = new ArrayList<>();
        e.get("features").forEach(f -> features.add(f.asInt()));
        assertThat(decoded.features().setBits()).isEqualTo(features);
        assertThat(decoded.payeePubkey().map(HexFormat.of()::formatHex)).hasValue(e.get("payee").asText());
        List<String> fallbacks = new ArrayList<>();
        e.get("fallback_addresses").forEach(f -> fallbacks.add(f.asText()));
        assertThat(decoded.fallbackAddresses().stream().map(f -> f.toAddress(decoded.network())).toList())
                .isEqualTo(fallbacks);
        assertThat(decoded.routeHints()).hasSize(e.get("route_hints").size());
        for (int r = 0; r < decoded.routeHints().size(); r++) {
            List<RouteHop> route = decoded.routeHints().get(r);
            JsonNode expected = e.get("route_hints").get(r);
            assertThat(route).hasSize(expected.size());
            for (int h = 0; h < route.size(); h++) {
                RouteHop hop = route.get(h);
                JsonNode x = expected.get(h);
                assertThat(hop.pubkeyHex()).isEqualTo(x.get("pubkey").asText());
                assertThat(hop.shortChannelIdText()).isEqualTo(x.get("short_channel_id").asText());
                assertThat(hop.feeBaseMsat()).isEqualTo(x.get("fee_base_msat").asLong());
                assertThat(hop.feeProportionalMillionths()).isEqualTo(x.get("fee_proportional_millionths").asLong());
                assertThat(hop.cltvExpiryDelta()).isEqualTo(x.get("cltv_expiry_delta").asInt());
            }
        }
        assertThat(decoded.metadata().map(HexFormat.of()::formatHex).orElse(null)).isEqualTo(text(e.get("metadata")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void reEncodingWithTheSpecKeyGivesTheSameString(String name, String invoice, JsonNode e) throws Exception {
        Bolt11Invoice decoded = Bolt11Decoder.decode(invoice);
        String encoded = Bolt11Encoder.encode(decoded.network(), decoded.amountMsat(), decoded.timestamp(),
                decoded.taggedFields(), SPEC_KEY);
        if (name.contains("high-S")) {
            // We sign low-S (RFC 6979, as libsecp256k1 does): the same invoice as the first example.
            assertThat(encoded).isNotEqualTo(invoice.toLowerCase(Locale.ROOT));
            assertThat(Bolt11Decoder.decode(encoded).payeePubkey().map(HexFormat.of()::formatHex))
                    .hasValue(e.get("payee").asText());
        } else {
            assertThat(encoded).isEqualTo(invoice.toLowerCase(Locale.ROOT));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesTheSpecsInvalidExamples(String name, String invoice, String error) {
        assertThatThrownBy(() -> Bolt11Decoder.decode(invoice))
                .isInstanceOf(InvoiceFormatException.class).hasMessageContaining(error);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
