package org.chroma402.l402.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON reader of the Payment scheme: strict JSON (a duplicate member or anything after the
 * value is refused, not resolved as "last wins" or ignored, so that what we check is what every
 * other reader of the same bytes would see), shallow nesting, bounded size.
 */
final class PaymentJson {
    static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxStringLength(16 * 1024).maxNumberLength(64).build());
    }

    private PaymentJson() {
    }

    /** A JSON object from base64url text, or a {@link PaymentFormatException} naming {@code what}. */
    static JsonNode objectFromBase64Url(String text, String what) throws PaymentFormatException {
        byte[] bytes = Base64Url.decode(text);
        JsonNode node;
        try {
            node = MAPPER.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new PaymentFormatException(what + " is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new PaymentFormatException(what + " is not a JSON object");
        }
        return node;
    }

    static String text(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
