package org.chroma402.l402.bolt11;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.chroma402.l402.PaymentHash;

/**
 * What a node puts in a new invoice, before signing. {@link #taggedFields()} lays the fields out
 * in the order LND uses: p, s, d or h, x, c, 9.
 */
public record UnsignedInvoice(Network network, OptionalLong amountMsat, Instant timestamp, PaymentHash paymentHash,
        byte[] paymentSecret, String description, byte[] descriptionHash, long expirySeconds,
        int minFinalCltvExpiry, FeatureBits features) {

    /** LND's default feature set: var_onion_optin and payment_secret required, basic_mpp optional. */
    public static final FeatureBits DEFAULT_FEATURES =
            FeatureBits.of(FeatureBits.VAR_ONION_OPTIN, FeatureBits.PAYMENT_SECRET, FeatureBits.BASIC_MPP + 1);

    public UnsignedInvoice {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(amountMsat, "amountMsat");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(paymentHash, "paymentHash");
        if (paymentSecret == null || paymentSecret.length != 32) {
            throw new IllegalArgumentException("payment secret must be 32 bytes");
        }
        paymentSecret = paymentSecret.clone();
        if ((description == null) == (descriptionHash == null)) {
            throw new IllegalArgumentException("give exactly one of description and descriptionHash");
        }
        if (description != null && description.getBytes(StandardCharsets.UTF_8).length > 639) {
            throw new IllegalArgumentException("description is longer than 639 bytes; use a description hash");
        }
        if (descriptionHash != null && descriptionHash.length != 32) {
            throw new IllegalArgumentException("description hash must be 32 bytes");
        }
        descriptionHash = descriptionHash == null ? null : descriptionHash.clone();
        if (amountMsat.isPresent() && amountMsat.getAsLong() <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        if (expirySeconds <= 0) {
            throw new IllegalArgumentException("expiry must be positive");
        }
        if (timestamp.getEpochSecond() < 0 || timestamp.getEpochSecond() >= (1L << 35)) {
            throw new IllegalArgumentException("timestamp does not fit 35 bits");
        }
        features = features == null ? DEFAULT_FEATURES : features;
    }

    @Override
    public byte[] paymentSecret() {
        return paymentSecret.clone();
    }

    @Override
    public byte[] descriptionHash() {
        return descriptionHash == null ? null : descriptionHash.clone();
    }

    public List<TaggedField> taggedFields() {
        List<TaggedField> fields = new ArrayList<>();
        fields.add(TaggedField.ofBytes(TaggedField.PAYMENT_HASH, paymentHash.bytes()));
        fields.add(TaggedField.ofBytes(TaggedField.PAYMENT_SECRET, paymentSecret));
        if (description != null) {
            fields.add(TaggedField.ofBytes(TaggedField.DESCRIPTION, description.getBytes(StandardCharsets.UTF_8)));
        } else {
            fields.add(TaggedField.ofBytes(TaggedField.DESCRIPTION_HASH, descriptionHash));
        }
        if (expirySeconds != Bolt11Invoice.DEFAULT_EXPIRY_SECONDS) {
            fields.add(TaggedField.ofInt(TaggedField.EXPIRY, expirySeconds));
        }
        if (minFinalCltvExpiry != Bolt11Invoice.DEFAULT_MIN_FINAL_CLTV_EXPIRY) {
            fields.add(TaggedField.ofInt(TaggedField.MIN_FINAL_CLTV_EXPIRY, minFinalCltvExpiry));
        }
        if (!features.isEmpty()) {
            fields.add(new TaggedField(TaggedField.FEATURES, features.toWords()));
        }
        return fields;
    }
}
