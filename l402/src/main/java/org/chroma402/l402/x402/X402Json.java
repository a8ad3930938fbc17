package org.chroma402.l402.x402;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The JSON and base64 of x402's headers. x402 encodes with standard base64 (with padding, as
 * {@code btoa} writes it); the URL-safe alphabet and missing padding are read too. The JSON is read
 * strictly, as the Payment scheme's is: a duplicate member or trailing text is refused, so what the
 * server judges is what any other reader of the same bytes would see.
 */
final class X402Json {
    /** Keeps a hostile header from costing more than decoding a few kilobytes. */
    static final int MAX_HEADER_LENGTH = 16 * 1024;

    static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxStringLength(MAX_HEADER_LENGTH).maxNumberLength(64).build());
    }

    private X402Json() {
    }

    static String encode(JsonNode node) {
        return Base64.getEncoder().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON object from a header's base64 text, or an {@link X402FormatException} naming {@code what}. */
    static JsonNode objectFromBase64(String text, String what) throws X402FormatException {
        if (text == null || text.isBlank()) {
            throw new X402FormatException(what + " is empty");
        }
        if (text.length() > MAX_HEADER_LENGTH) {
            throw new X402FormatException(what + " is too long");
        }
        String compact = text.strip().replace('-', '+').replace('_', '/');
        int end = compact.length();
        while (end > 0 && compact.charAt(end - 1) == '=') {
            end--;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(compact.substring(0, end) + "=".repeat((4 - end % 4) % 4));
        } catch (IllegalArgumentException e) {
            throw new X402FormatException(what + " is not base64");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new X402FormatException(what + " is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new X402FormatException(what + " is not a JSON object");
        }
        return node;
    }

    /** A member that must be a string. */
    static String text(JsonNode parent, String name, String what) throws X402FormatException {
        JsonNode n = parent.get(name);
        if (n == null || !n.isTextual()) {
            throw new X402FormatException(what + "." + name + " must be a string");
        }
        return n.asText();
    }

    /** A member that must be an object. */
    static JsonNode object(JsonNode parent, String name, String what) throws X402FormatException {
        JsonNode n = parent.get(name);
        if (n == null || !n.isObject()) {
            throw new X402FormatException(what + "." + name + " must be an object");
        }
        return n;
    }
}
