package org.chroma402.l402.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The {@code request} of a Lightning charge challenge (draft-lightning-charge): the amount, its
 * currency, and the BOLT11 invoice that pays it, as base64url of RFC 8785-canonical JSON.
 * Optional fields are null when absent.
 */
public record ChargeRequest(String amount, String currency, String description, String invoice, String paymentHash,
        String network) {

    public ChargeRequest {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(invoice, "invoice");
    }

    /** A charge of {@code sats} satoshis paid by {@code invoice}. */
    public static ChargeRequest sats(long sats, String description, String invoice, String paymentHash, String network) {
        return new ChargeRequest(Long.toString(sats), "sat", description, invoice, paymentHash, network);
    }

    /** The {@code request} parameter: base64url of the canonical JSON. */
    public String encode() {
        ObjectNode root = PaymentJson.MAPPER.createObjectNode();
        root.put("amount", amount);
        root.put("currency", currency);
        if (description != null) {
            root.put("description", description);
        }
        ObjectNode details = root.putObject("methodDetails");
        details.put("invoice", invoice);
        if (paymentHash != null) {
            details.put("paymentHash", paymentHash);
        }
        if (network != null) {
            details.put("network", network);
        }
        try {
            return Base64Url.encode(Jcs.canonicalize(root.toString()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (PaymentFormatException e) {
            throw new IllegalStateException("our own JSON is canonicalizable", e);
        }
    }

    /** Reads a {@code request} parameter. */
    public static ChargeRequest decode(String request) throws PaymentFormatException {
        JsonNode root = PaymentJson.objectFromBase64Url(request, "the charge request");
        JsonNode details = root.path("methodDetails");
        String amount = PaymentJson.text(root, "amount");
        String currency = PaymentJson.text(root, "currency");
        String invoice = details.isObject() ? PaymentJson.text(details, "invoice") : null;
        if (amount == null || currency == null || invoice == null) {
            throw new PaymentFormatException("the charge request needs amount, currency and methodDetails.invoice");
        }
        return new ChargeRequest(amount, currency, PaymentJson.text(root, "description"), invoice,
                PaymentJson.text(details, "paymentHash"), PaymentJson.text(details, "network"));
    }
}
