package org.chroma402.l402.x402;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * x402 v2's {@code PAYMENT-RESPONSE} header, sent with a response a Lightning payment bought:
 * base64 of {@code {"success":true,"transaction":"<bolt11>","network","payer":"anonymous",
 * "extra":{"invoice","settledAt"}}}; the invoice is the transaction's name, as the proposal says.
 */
public record SettlementResponse(String invoice, String network, long settledAt) {
    public static final String HEADER = "PAYMENT-RESPONSE";

    public SettlementResponse {
        Objects.requireNonNull(invoice, "invoice");
        Objects.requireNonNull(network, "network");
    }

    public String encode() {
        ObjectNode root = X402Json.MAPPER.createObjectNode();
        root.put("success", true);
        root.put("transaction", invoice);
        root.put("network", network);
        root.put("payer", LightningRequirement.ANONYMOUS);
        ObjectNode extra = root.putObject("extra");
        extra.put("invoice", invoice);
        extra.put("settledAt", settledAt);
        return X402Json.encode(root);
    }
}
