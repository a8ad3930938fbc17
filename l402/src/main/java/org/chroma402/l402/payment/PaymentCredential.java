package org.chroma402.l402.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A credential of the {@code Payment} scheme: {@code Authorization: Payment <base64url JSON>},
 * the JSON being {@code {"challenge": {…the challenge's parameters, echoed…}, "source"?: …,
 * "payload": {"preimage": "<hex>", …}}}.
 *
 * <p>The echo is kept as sent, string parameters only, so a server can check it against what it
 * issued; a client that echoes more than the draft's parameters (a {@code macaroon}, as some
 * L402 services document) keeps them too. {@code source} is null when absent.
 */
public record PaymentCredential(Map<String, String> challenge, String source, Map<String, String> payload) {
    /** Keeps a hostile header from costing more than decoding a few kilobytes. */
    static final int MAX_HEADER_LENGTH = 16 * 1024;

    public PaymentCredential {
        challenge = Collections.unmodifiableMap(new LinkedHashMap<>(challenge));
        payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
        if (!challenge.containsKey("id")) {
            throw new IllegalArgumentException("a credential echoes the challenge's id");
        }
    }

    /** The credential for a Lightning charge: the whole challenge echoed, the preimage as payload. */
    public static PaymentCredential of(PaymentChallenge paid, String preimageHex) {
        return new PaymentCredential(paid.parameters(), null, Map.of("preimage", preimageHex));
    }

    public String challengeId() {
        return challenge.get("id");
    }

    /** An echoed challenge parameter. */
    public Optional<String> echoed(String name) {
        return Optional.ofNullable(challenge.get(name));
    }

    /** The echoed challenge, when it echoes every required parameter. */
    public Optional<PaymentChallenge> echoedChallenge() {
        return Optional.ofNullable(PaymentChallenge.fromParameters(challenge));
    }

    /** The payment proof of a Lightning charge: {@code payload.preimage}. */
    public Optional<String> preimage() {
        return Optional.ofNullable(payload.get("preimage"));
    }

    /** Whether an {@code Authorization} value is of this scheme (whatever its credential is worth). */
    public static boolean isPaymentScheme(String authorization) {
        if (authorization == null) {
            return false;
        }
        String v = authorization.stripLeading();
        int len = PaymentChallenge.SCHEME.length();
        return v.length() > len && v.regionMatches(true, 0, PaymentChallenge.SCHEME, 0, len)
                && (v.charAt(len) == ' ' || v.charAt(len) == '\t');
    }

    /** The header value, with the JSON in canonical (RFC 8785) form. */
    public String format() {
        ObjectNode root = PaymentJson.MAPPER.createObjectNode();
        ObjectNode echo = root.putObject("challenge");
        challenge.forEach(echo::put);
        if (source != null) {
            root.put("source", source);
        }
        ObjectNode body = root.putObject("payload");
        payload.forEach(body::put);
        try {
            return PaymentChallenge.SCHEME + " "
                    + Base64Url.encode(Jcs.canonicalize(root.toString()).getBytes(StandardCharsets.UTF_8));
        } catch (PaymentFormatException e) {
            throw new IllegalStateException("our own JSON is canonicalizable", e);
        }
    }

    /** Parses an {@code Authorization} value; the message of the exception says what is wrong. */
    public static PaymentCredential parse(String authorization) throws PaymentFormatException {
        if (authorization == null || authorization.isBlank()) {
            throw new PaymentFormatException("no Authorization header");
        }
        if (authorization.length() > MAX_HEADER_LENGTH) {
            throw new PaymentFormatException("Authorization header is too long");
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals("payment")) {
            throw new PaymentFormatException("Authorization is not of the Payment scheme");
        }
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (token.isEmpty()) {
            throw new PaymentFormatException("the Payment credential is empty");
        }
        JsonNode root = PaymentJson.objectFromBase64Url(token, "the Payment credential");
        JsonNode echo = root.get("challenge");
        if (echo == null || !echo.isObject()) {
            throw new PaymentFormatException("the Payment credential has no challenge object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = echo.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            if (!member.getValue().isTextual()) {
                // Every challenge parameter is a string; another type is no echo of ours.
                throw new PaymentFormatException("the Payment credential's challenge." + member.getKey() + " is not a string");
            }
        }
        Map<String, String> params = strings(echo);
        if (params.get("id") == null || params.get("id").isEmpty()) {
            throw new PaymentFormatException("the Payment credential does not echo the challenge id");
        }
        JsonNode payload = root.get("payload");
        if (payload == null || !payload.isObject()) {
            throw new PaymentFormatException("the Payment credential has no payload object");
        }
        JsonNode source = root.get("source");
        return new PaymentCredential(params, source != null && source.isTextual() ? source.asText() : null,
                strings(payload));
    }

    /** The string members of an object (others are of no use to a Lightning charge). */
    static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "PaymentCredential[id=" + challengeId() + ", payload=" + payload.keySet() + ", redacted]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PaymentCredential c && challenge.equals(c.challenge) && Objects.equals(source, c.source)
                && payload.equals(c.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(challenge, source, payload);
    }
}
