package org.chroma402.l402.bolt11;

import fr.acinq.secp256k1.Secp256k1;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chroma402.l402.PaymentHash;

/**
 * Decodes and verifies BOLT11 invoices as the reader requirements of BOLT #11 describe.
 *
 * <p>Fixed-size fields ({@code p s h n}) of the wrong length are skipped, as the spec's "fields
 * which must be ignored" example requires; the first well-formed one of each type wins.
 * {@code x}, {@code c} and {@code 9} must use the minimal encoding. Unknown even feature bits,
 * a missing {@code p} or {@code s}, and anything but exactly one of {@code d} and {@code h} are
 * refused. With an {@code n} field the signature must verify against it and be low-S; without
 * one the payee is recovered, accepting high-S signatures.
 */
public final class Bolt11Decoder {
    /** Longer than any invoice a wallet would show; bounds the work a hostile string can cause. */
    public static final int MAX_LENGTH = 8192;
    private static final int SIGNATURE_WORDS = 104;
    private static final int TIMESTAMP_WORDS = 7;
    private static final Pattern AMOUNT = Pattern.compile("^([0-9]+)([munp]?)$");

    private Bolt11Decoder() {
    }

    /** Decodes an invoice and verifies its signature; throws if either fails. */
    public static Bolt11Invoice decode(String invoice) throws InvoiceFormatException {
        Bolt11Invoice decoded = decodeUnverified(invoice);
        if (!decoded.signatureValid()) {
            throw new InvoiceFormatException(decoded.payeeExplicit()
                    ? "signature does not verify against the payee in the n field (or is not low-S)"
                    : "signature is not recoverable");
        }
        return decoded;
    }

    /**
     * Decodes an invoice, reporting a bad signature through {@link Bolt11Invoice#signatureValid()}
     * instead of throwing. For tools that show what an invoice says; never for deciding to pay.
     */
    public static Bolt11Invoice decodeUnverified(String invoice) throws InvoiceFormatException {
        if (invoice == null) {
            throw new InvoiceFormatException("invoice is missing");
        }
        String text = invoice.strip();
        if (text.regionMatches(true, 0, "lightning:", 0, 10)) {
            text = text.substring(10);
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvoiceFormatException("invoice is longer than " + MAX_LENGTH + " characters");
        }
        Bech32.Decoded bech = Bech32.decode(text);
        if (bech.variant() != Bech32.Variant.BECH32) {
            throw new InvoiceFormatException("bech32 checksum is invalid (invoices use bech32, not bech32m)");
        }
        String hrp = bech.hrp();
        if (!hrp.startsWith("ln")) {
            throw new InvoiceFormatException("not a lightning invoice: prefix must start with 'ln'");
        }
        Network network = Network.forHrp(hrp).orElseThrow(
                () -> new InvoiceFormatException("unknown currency prefix in '" + hrp + "'"));
        OptionalLong amount = parseAmount(hrp.substring(network.invoicePrefix().length()));

        byte[] words = bech.words();
        if (words.length < TIMESTAMP_WORDS + SIGNATURE_WORDS) {
            throw new InvoiceFormatException("invoice is too short");
        }
        long timestamp = 0;
        for (int i = 0; i < TIMESTAMP_WORDS; i++) {
            timestamp = (timestamp << 5) | words[i];
        }
        int dataEnd = words.length - SIGNATURE_WORDS;
        List<TaggedField> fields = parseFields(words, TIMESTAMP_WORDS, dataEnd);
        byte[] signature = Bech32.convertBits(Arrays.copyOfRange(words, dataEnd, words.length), 5, 8, false);
        int recoveryId = signature[64];
        if (recoveryId < 0 || recoveryId > 3) {
            throw new InvoiceFormatException("signature recovery id " + recoveryId + " is not 0-3");
        }

        Builder b = new Builder();
        for (TaggedField field : fields) {
            b.accept(field);
        }
        if (b.paymentHash == null) {
            throw new InvoiceFormatException("missing required p field (payment hash)");
        }
        if (b.paymentSecret == null) {
            throw new InvoiceFormatException("missing required s field (payment secret)");
        }
        if ((b.description == null) == (b.descriptionHash == null)) {
            throw new InvoiceFormatException("invoice must have exactly one of d (description) and h (description hash)");
        }

        byte[] hash = signingHash(hrp, Arrays.copyOfRange(words, 0, dataEnd));
        byte[] rs = Arrays.copyOf(signature, 64);
        Secp256k1 secp = Secp.get();
        byte[] payee = b.payee;
        boolean valid;
        if (payee != null) {
            // libsecp256k1 verification refuses high-S signatures, which is what BOLT11 asks for here.
            valid = verify(secp, rs, hash, payee);
        } else {
            payee = recover(secp, rs, hash, recoveryId);
            valid = payee != null;
        }
        return new Bolt11Invoice(text.toLowerCase(Locale.ROOT), network, amount, Instant.ofEpochSecond(timestamp),
                fields, b.paymentHash, b.paymentSecret, b.description, b.descriptionHash, b.expiry,
                b.minFinalCltv, b.features, payee, b.payee != null, b.fallbacks, b.routes, b.metadata, signature,
                valid);
    }

    static OptionalLong parseAmount(String text) throws InvoiceFormatException {
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        Matcher m = AMOUNT.matcher(text);
        if (!m.matches()) {
            throw new InvoiceFormatException("invalid amount or multiplier '" + text + "'");
        }
        String digits = m.group(1);
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            throw new InvoiceFormatException("amount '" + digits + "' has a leading zero");
        }
        if (digits.length() > 18) {
            throw new InvoiceFormatException("amount '" + digits + "' is out of range");
        }
        long value = Long.parseLong(digits);
        if (value == 0) {
            throw new InvoiceFormatException("amount must be positive");
        }
        try {
            long msat = switch (m.group(2)) {
                case "" -> Math.multiplyExact(value, 100_000_000_000L);
                case "m" -> Math.multiplyExact(value, 100_000_000L);
                case "u" -> Math.multiplyExact(value, 100_000L);
                case "n" -> Math.multiplyExact(value, 100L);
                case "p" -> {
                    if (value % 10 != 0) {
                        throw new InvoiceFormatException("amount '" + text + "' has sub-millisatoshi precision");
                    }
                    yield value / 10;
                }
                default -> throw new IllegalStateException("pattern admits only m, u, n, p");
            };
            return OptionalLong.of(msat);
        } catch (ArithmeticException e) {
            throw new InvoiceFormatException("amount '" + text + "' is out of range");
        }
    }

    private static List<TaggedField> parseFields(byte[] words, int start, int end) throws InvoiceFormatException {
        List<TaggedField> fields = new ArrayList<>();
        int pos = start;
        while (pos < end) {
            if (end - pos < 3) {
                throw new InvoiceFormatException("tagged field is truncated");
            }
            int type = words[pos];
            int length = (words[pos + 1] << 5) | words[pos + 2];
            pos += 3;
            if (length > end - pos) {
                throw new InvoiceFormatException("tagged field '" + Bech32.CHARSET.charAt(type)
                        + "' claims " + length + " words, " + (end - pos) + " left");
            }
            fields.add(new TaggedField(type, Arrays.copyOfRange(words, pos, pos + length)));
            pos += length;
        }
        return fields;
    }

    static byte[] signingHash(String hrp, byte[] dataWords) {
        byte[] hrpBytes = hrp.getBytes(StandardCharsets.UTF_8);
        byte[] data = Bech32.convertBits(dataWords, 5, 8, true);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(hrpBytes);
            return sha.digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static boolean verify(Secp256k1 secp, byte[] rs, byte[] hash, byte[] pubkey) {
        try {
            return secp.verify(rs, hash, pubkey);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static byte[] recover(Secp256k1 secp, byte[] rs, byte[] hash, int recoveryId) {
        try {
            // BOLT11 readers must accept high-S here; normalising keeps the key the signer meant.
            byte[] normalized = secp.signatureNormalize(rs).getFirst();
            return secp.pubKeyCompress(secp.ecdsaRecover(normalized, hash, recoveryId));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Interprets tagged fields one by one, applying the reader rules. */
    private static final class Builder {
        PaymentHash paymentHash;
        byte[] paymentSecret;
        String description;
        byte[] descriptionHash;
        byte[] payee;
        long expiry = Bolt11Invoice.DEFAULT_EXPIRY_SECONDS;
        boolean expirySeen;
        int minFinalCltv = Bolt11Invoice.DEFAULT_MIN_FINAL_CLTV_EXPIRY;
        boolean cltvSeen;
        FeatureBits features = FeatureBits.of();
        boolean featuresSeen;
        byte[] metadata;
        final List<FallbackAddress> fallbacks = new ArrayList<>();
        final List<List<RouteHop>> routes = new ArrayList<>();

        void accept(TaggedField field) throws InvoiceFormatException {
            switch (field.type()) {
                case TaggedField.PAYMENT_HASH -> {
                    if (field.length() == 52 && paymentHash == null) {
                        paymentHash = new PaymentHash(field.bytes());
                    }
                }
                case TaggedField.PAYMENT_SECRET -> {
                    if (field.length() == 52 && paymentSecret == null) {
                        paymentSecret = field.bytes();
                    }
                }
                case TaggedField.DESCRIPTION_HASH -> {
                    if (field.length() == 52 && descriptionHash == null) {
                        descriptionHash = field.bytes();
                    }
                }
                case TaggedField.PAYEE -> {
                    if (field.length() == 53 && payee == null) {
                        payee = field.bytes();
                    }
                }
                case TaggedField.DESCRIPTION -> {
                    if (description == null) {
                        description = utf8(field.bytes());
                    }
                }
                case TaggedField.EXPIRY -> {
                    requireMinimal(field, "x (expiry)");
                    if (!expirySeen) {
                        expiry = field.intValue();
                        expirySeen = true;
                    }
                }
                case TaggedField.MIN_FINAL_CLTV_EXPIRY -> {
                    requireMinimal(field, "c (min_final_cltv_expiry)");
                    if (!cltvSeen) {
                        long value = field.intValue();
                        if (value > Integer.MAX_VALUE) {
                            throw new InvoiceFormatException("c (min_final_cltv_expiry) is out of range");
                        }
                        minFinalCltv = (int) value;
                        cltvSeen = true;
                    }
                }
                case TaggedField.FEATURES -> {
                    requireMinimal(field, "9 (features)");
                    if (!featuresSeen) {
                        features = FeatureBits.fromWords(field.words());
                        List<Integer> unknown = features.unknownRequiredBits();
                        if (!unknown.isEmpty()) {
                            throw new InvoiceFormatException("invoice requires unknown feature bit(s) " + unknown);
                        }
                        featuresSeen = true;
                    }
                }
                case TaggedField.FALLBACK -> fallback(field);
                case TaggedField.ROUTE_HINT -> routes.add(route(field));
                case TaggedField.METADATA -> {
                    if (metadata == null) {
                        metadata = field.bytes();
                    }
                }
                default -> {
                    // Unknown fields are kept in the raw list and otherwise ignored.
                }
            }
        }

        private void fallback(TaggedField field) {
            byte[] words = field.words();
            if (words.length == 0) {
                return;
            }
            int version = words[0];
            if (version > FallbackAddress.P2SH) {
                return; // BOLT11: skip f fields with an unknown version.
            }
            byte[] program = Bech32.convertBits(Arrays.copyOfRange(words, 1, words.length), 5, 8, false);
            fallbacks.add(new FallbackAddress(version, program));
        }

        private static List<RouteHop> route(TaggedField field) throws InvoiceFormatException {
            byte[] bytes = field.bytes();
            if (bytes.length == 0 || bytes.length % RouteHop.ENCODED_LENGTH != 0) {
                throw new InvoiceFormatException("r field length " + bytes.length + " is not a multiple of 51 bytes");
            }
            List<RouteHop> hops = new ArrayList<>();
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                byte[] pubkey = new byte[33];
                buf.get(pubkey);
                long scid = buf.getLong();
                long feeBase = buf.getInt() & 0xffffffffL;
                long feeProportional = buf.getInt() & 0xffffffffL;
                int cltv = buf.getShort() & 0xffff;
                hops.add(new RouteHop(pubkey, scid, feeBase, feeProportional, cltv));
            }
            return hops;
        }

        private static void requireMinimal(TaggedField field, String name) throws InvoiceFormatException {
            if (field.hasLeadingZero()) {
                throw new InvoiceFormatException(name + " is not minimally encoded");
            }
        }

        private static String utf8(byte[] bytes) throws InvoiceFormatException {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new InvoiceFormatException("d (description) is not valid UTF-8");
            }
        }
    }
}
