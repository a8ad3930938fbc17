package org.chroma402.l402.payment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The {@code Payment-Receipt} header a server sends with a response the Payment scheme paid
 * for: base64url of {@code {"status":"success","method",…,"reference","challengeId"?}}, where the
 * reference of a Lightning charge is the payment hash. {@code challengeId} is null when absent.
 */
public record PaymentReceipt(String method, String timestamp, String reference, String challengeId) {
    public static final String HEADER = "Payment-Receipt";

    public PaymentReceipt {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(reference, "reference");
    }

    public String encode() {
        ObjectNode root = PaymentJson.MAPPER.createObjectNode();
        root.put("status", "success");
        root.put("method", method);
        root.put("timestamp", timestamp);
        root.put("reference", reference);
        if (challengeId != null) {
            root.put("challengeId", challengeId);
        }
        return Base64Url.encode(root.toString().getBytes(StandardCharsets.UTF_8));
    }
}
