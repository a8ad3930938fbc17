package org.chroma402.l402.x402;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * x402 v2's {@code PAYMENT-REQUIRED} header, sent with a 402: base64 of {@code {"x402Version":2,
 * "error":…,"resource":{"url","description","mimeType"},"accepts":[…]}}. Only Lightning entries
 * are read back ({@link #decode} skips the others, as a Lightning client does).
 */
public record PaymentRequired(String error, Resource resource, List<LightningRequirement> accepts) {
    public static final String HEADER = "PAYMENT-REQUIRED";
    public static final int VERSION = 2;

    /** What the payment buys: the URL asked for, described. */
    public record Resource(String url, String description, String mimeType) {
        public Resource {
            Objects.requireNonNull(url, "url");
        }
    }

    public PaymentRequired {
        accepts = List.copyOf(accepts);
        if (accepts.isEmpty()) {
            throw new IllegalArgumentException("a PAYMENT-REQUIRED offers at least one way to pay");
        }
    }

    /** The header value. */
    public String encode() {
        ObjectNode root = X402Json.MAPPER.createObjectNode();
        root.put("x402Version", VERSION);
        if (error != null) {
            root.put("error", error);
        }
        if (resource != null) {
            ObjectNode r = root.putObject("resource");
            r.put("url", resource.url());
            if (resource.description() != null) {
                r.put("description", resource.description());
            }
            if (resource.mimeType() != null) {
                r.put("mimeType", resource.mimeType());
            }
        }
        ArrayNode list = root.putArray("accepts");
        accepts.forEach(a -> list.add(a.toJson()));
        return X402Json.encode(root);
    }

    /** Reads a header value, keeping its Lightning entries; a header without one does not parse. */
    public static PaymentRequired decode(String header) throws X402FormatException {
        JsonNode root = X402Json.objectFromBase64(header, "PAYMENT-REQUIRED");
        JsonNode accepts = root.get("accepts");
        if (accepts == null || !accepts.isArray()) {
            throw new X402FormatException("PAYMENT-REQUIRED.accepts must be an array");
        }
        List<LightningRequirement> lightning = new ArrayList<>();
        for (int i = 0; i < accepts.size(); i++) {
            JsonNode entry = accepts.get(i);
            JsonNode extra = entry.get("extra");
            if (extra != null && extra.isObject() && LightningRequirement.PAYMENT_METHOD.equals(extra.path("paymentMethod").asText(null))) {
                lightning.add(LightningRequirement.fromJson(entry, "PAYMENT-REQUIRED.accepts[" + i + "]"));
            }
        }
        if (lightning.isEmpty()) {
            throw new X402FormatException("PAYMENT-REQUIRED offers no Lightning payment");
        }
        JsonNode r = root.get("resource");
        Resource resource = r != null && r.isObject() && r.path("url").isTextual()
                ? new Resource(r.get("url").asText(), r.path("description").asText(null), r.path("mimeType").asText(null))
                : null;
        return new PaymentRequired(root.path("error").asText(null), resource, lightning);
    }
}
