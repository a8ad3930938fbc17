package org.chroma402.l402.x402;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * x402 v2's {@code PAYMENT-SIGNATURE} request header for a Lightning payment: base64 of
 * {@code {"x402Version":2,"scheme"?,"network"?,"resource"?,"accepted":{…the entry paid…},
 * "payload":{"invoice":"<bolt11>"}}}. Alby's {@code fetch402} sends the top-level {@code scheme}
 * and {@code network} as well; the proposal has only {@code accepted}. When both are present they
 * must agree.
 *
 * <p>There is no preimage: the invoice is the claim, and the server checks with its own node that
 * it was paid. Parsing checks the shape only (version 2, a Lightning entry, {@code payload.invoice}
 * equal to {@code accepted.extra.invoice}, which the proposal requires against substitution);
 * whether the invoice is one the server issued, for what, and paid, is the server's to judge.
 */
public record PaymentSignature(LightningRequirement accepted, String invoice) {
    public static final String HEADER = "PAYMENT-SIGNATURE";

    public PaymentSignature {
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(invoice, "invoice");
    }

    /** The header a client sends after paying {@code paid}, as Alby's client writes it. */
    public static PaymentSignature of(LightningRequirement paid) {
        return new PaymentSignature(paid, paid.invoice());
    }

    public String encode() {
        ObjectNode root = X402Json.MAPPER.createObjectNode();
        root.put("x402Version", PaymentRequired.VERSION);
        root.put("scheme", accepted.scheme());
        root.put("network", accepted.network());
        root.putObject("payload").put("invoice", invoice);
        root.set("accepted", accepted.toJson());
        return X402Json.encode(root);
    }

    /** Parses a header value; the exception's message says what is wrong. */
    public static PaymentSignature parse(String header) throws X402FormatException {
        JsonNode root = X402Json.objectFromBase64(header, "PAYMENT-SIGNATURE");
        JsonNode version = root.get("x402Version");
        if (version == null || !version.isIntegralNumber() || version.asLong() != PaymentRequired.VERSION) {
            throw new X402FormatException("PAYMENT-SIGNATURE.x402Version must be 2");
        }
        LightningRequirement accepted = LightningRequirement.fromJson(X402Json.object(root, "accepted", "PAYMENT-SIGNATURE"),
                "PAYMENT-SIGNATURE.accepted");
        for (String name : new String[] {"scheme", "network"}) {
            JsonNode top = root.get(name);
            String ours = name.equals("scheme") ? accepted.scheme() : accepted.network();
            if (top != null && !(top.isTextual() && top.asText().equals(ours))) {
                throw new X402FormatException("PAYMENT-SIGNATURE." + name + " differs from accepted." + name);
            }
        }
        String invoice = X402Json.text(X402Json.object(root, "payload", "PAYMENT-SIGNATURE"), "invoice", "PAYMENT-SIGNATURE.payload");
        if (!invoice.equals(accepted.invoice())) {
            throw new X402FormatException("PAYMENT-SIGNATURE.payload.invoice is not accepted.extra.invoice");
        }
        return new PaymentSignature(accepted, invoice);
    }

    @Override
    public String toString() {
        return "PaymentSignature[" + accepted.network() + ", " + accepted.amountMsat() + " msat]";
    }
}
