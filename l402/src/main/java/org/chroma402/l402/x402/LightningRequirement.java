package org.chroma402.l402.x402;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.chroma402.l402.bolt11.Network;

/**
 * One entry of an x402 {@code accepts} list: the {@code exact} scheme paid over Lightning, as the
 * open proposal (coinbase/x402 {@code specs/schemes/exact/scheme_exact_lightning.md}) and Alby's
 * {@code fetch402} have it: {@code {"scheme":"exact","network":"bip122:…","amount":"<msat>",
 * "asset":"BTC","payTo":"anonymous","maxTimeoutSeconds":…,"extra":{"paymentMethod":"lightning",
 * "invoice":"<bolt11>"}}}. The amount is in millisatoshis, as a decimal string, and must equal the
 * invoice's (Alby's client refuses to pay otherwise).
 */
public record LightningRequirement(String scheme, String network, long amountMsat, String asset, String payTo,
        long maxTimeoutSeconds, String invoice) {
    public static final String SCHEME_EXACT = "exact";
    public static final String ASSET_BTC = "BTC";
    public static final String PAYMENT_METHOD = "lightning";
    public static final String ANONYMOUS = "anonymous";

    public LightningRequirement {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(invoice, "invoice");
        if (amountMsat <= 0) {
            throw new IllegalArgumentException("amount must be positive, got " + amountMsat);
        }
    }

    /** The requirement a server offers for one of its invoices, anonymous as to its node. */
    public static LightningRequirement of(Network network, long amountMsat, long maxTimeoutSeconds, String invoice) {
        return new LightningRequirement(SCHEME_EXACT, caip2(network), amountMsat, ASSET_BTC, ANONYMOUS,
                maxTimeoutSeconds, invoice);
    }

    /**
     * The CAIP-2 name of a Bitcoin chain: {@code bip122:} and the first 32 hex digits of its genesis
     * block hash (the proposal names mainnet and testnet; the others follow the same rule).
     */
    public static String caip2(Network network) {
        return "bip122:" + switch (network) {
            case MAINNET -> "000000000019d6689c085ae165831e93";
            case TESTNET -> "000000000933ea01ad0ee984209779ba";
            case SIGNET -> "00000008819873e925422c1ff0f99f7c";
            case REGTEST -> "0f9188f13cb7b2c71f2a335e3a4fc328";
            case SIMNET -> "683e86bd5c6d110d91b94b97137ba6bf";
        };
    }

    ObjectNode toJson() {
        ObjectNode entry = X402Json.MAPPER.createObjectNode();
        entry.put("scheme", scheme);
        entry.put("network", network);
        entry.put("amount", Long.toString(amountMsat));
        entry.put("asset", asset);
        entry.put("payTo", payTo);
        entry.put("maxTimeoutSeconds", maxTimeoutSeconds);
        ObjectNode extra = entry.putObject("extra");
        extra.put("paymentMethod", PAYMENT_METHOD);
        extra.put("invoice", invoice);
        return entry;
    }

    /** Reads an entry that must be a Lightning one; {@code what} names it in messages. */
    static LightningRequirement fromJson(JsonNode entry, String what) throws X402FormatException {
        if (!entry.isObject()) {
            throw new X402FormatException(what + " must be an object");
        }
        JsonNode extra = X402Json.object(entry, "extra", what);
        String method = X402Json.text(extra, "paymentMethod", what + ".extra");
        if (!PAYMENT_METHOD.equals(method)) {
            throw new X402FormatException(what + ".extra.paymentMethod is '" + method + "', not lightning");
        }
        String amount = X402Json.text(entry, "amount", what);
        long msat;
        if (!amount.matches("[1-9][0-9]{0,17}")) {
            throw new X402FormatException(what + ".amount must be a positive whole number of millisatoshis");
        }
        msat = Long.parseLong(amount);
        JsonNode timeout = entry.get("maxTimeoutSeconds");
        long maxTimeout = timeout != null && timeout.canConvertToLong() ? timeout.asLong() : 0;
        JsonNode asset = entry.get("asset");
        JsonNode payTo = entry.get("payTo");
        return new LightningRequirement(X402Json.text(entry, "scheme", what), X402Json.text(entry, "network", what),
                msat, asset != null && asset.isTextual() ? asset.asText() : null,
                payTo != null && payTo.isTextual() ? payTo.asText() : null, maxTimeout,
                X402Json.text(extra, "invoice", what + ".extra"));
    }
}
