package org.chroma402.l402.bolt11;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.chroma402.l402.PaymentHash;

/**
 * A decoded BOLT11 invoice. Fields the spec gives defaults for carry those defaults
 * (expiry 3600 s, min_final_cltv_expiry 18). The tagged fields are kept in their original order,
 * unknown ones included, so an invoice re-encodes exactly.
 *
 * <p>Instances come from {@link Bolt11Decoder}; {@link #signatureValid()} is true for every
 * invoice that {@link Bolt11Decoder#decode} returns.
 */
public final class Bolt11Invoice {
    /** BOLT11's default when no {@code x} field is present. */
    public static final long DEFAULT_EXPIRY_SECONDS = 3600;
    /** BOLT11's default when no {@code c} field is present. */
    public static final int DEFAULT_MIN_FINAL_CLTV_EXPIRY = 18;

    private final String encoded;
    private final Network network;
    private final OptionalLong amountMsat;
    private final Instant timestamp;
    private final List<TaggedField> taggedFields;
    private final PaymentHash paymentHash;
    private final byte[] paymentSecret;
    private final String description;
    private final byte[] descriptionHash;
    private final long expirySeconds;
    private final int minFinalCltvExpiry;
    private final FeatureBits features;
    private final byte[] payeePubkey;
    private final boolean payeeExplicit;
    private final List<FallbackAddress> fallbackAddresses;
    private final List<List<RouteHop>> routeHints;
    private final byte[] metadata;
    private final byte[] signature;
    private final boolean signatureValid;

    Bolt11Invoice(String encoded, Network network, OptionalLong amountMsat, Instant timestamp,
            List<TaggedField> taggedFields, PaymentHash paymentHash, byte[] paymentSecret, String description,
            byte[] descriptionHash, long expirySeconds, int minFinalCltvExpiry, FeatureBits features,
            byte[] payeePubkey, boolean payeeExplicit, List<FallbackAddress> fallbackAddresses,
            List<List<RouteHop>> routeHints, byte[] metadata, byte[] signature, boolean signatureValid) {
        this.encoded = encoded;
        this.network = network;
        this.amountMsat = amountMsat;
        this.timestamp = timestamp;
        this.taggedFields = List.copyOf(taggedFields);
        this.paymentHash = paymentHash;
        this.paymentSecret = paymentSecret;
        this.description = description;
        this.descriptionHash = descriptionHash;
        this.expirySeconds = expirySeconds;
        this.minFinalCltvExpiry = minFinalCltvExpiry;
        this.features = features;
        this.payeePubkey = payeePubkey;
        this.payeeExplicit = payeeExplicit;
        this.fallbackAddresses = List.copyOf(fallbackAddresses);
        this.routeHints = routeHints.stream().map(List::copyOf).toList();
        this.metadata = metadata;
        this.signature = signature;
        this.signatureValid = signatureValid;
    }

    /** The invoice string, lower case, without any {@code lightning:} prefix. */
    public String encoded() {
        return encoded;
    }

    public Network network() {
        return network;
    }

    /** The amount in millisatoshis, empty for "any amount" invoices. */
    public OptionalLong amountMsat() {
        return amountMsat;
    }

    public Instant timestamp() {
        return timestamp;
    }

    public List<TaggedField> taggedFields() {
        return taggedFields;
    }

    public PaymentHash paymentHash() {
        return paymentHash;
    }

    public byte[] paymentSecret() {
        return paymentSecret.clone();
    }

    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    public Optional<byte[]> descriptionHash() {
        return Optional.ofNullable(descriptionHash).map(byte[]::clone);
    }

    public long expirySeconds() {
        return expirySeconds;
    }

    public Instant expiresAt() {
        return timestamp.plus(Duration.ofSeconds(expirySeconds));
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt());
    }

    public int minFinalCltvExpiry() {
        return minFinalCltvExpiry;
    }

    public FeatureBits features() {
        return features;
    }

    /** The payee's node id: the {@code n} field if present, else recovered from the signature. */
    public Optional<byte[]> payeePubkey() {
        return Optional.ofNullable(payeePubkey).map(byte[]::clone);
    }

    /** Whether the payee came from an {@code n} field rather than key recovery. */
    public boolean payeeExplicit() {
        return payeeExplicit;
    }

    public List<FallbackAddress> fallbackAddresses() {
        return fallbackAddresses;
    }

    public List<List<RouteHop>> routeHints() {
        return routeHints;
    }

    public Optional<byte[]> metadata() {
        return Optional.ofNullable(metadata).map(byte[]::clone);
    }

    /** The 65-byte signature: {@code r ‖ s ‖ recovery id}. */
    public byte[] signature() {
        return signature.clone();
    }

    public boolean signatureValid() {
        return signatureValid;
    }

    @Override
    public String toString() {
        return "Bolt11Invoice[" + network + ", amountMsat=" + amountMsat + ", paymentHash=" + paymentHash.hex() + "]";
    }
}
