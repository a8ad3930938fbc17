package org.chroma402.l402.payment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A challenge of the HTTP {@code Payment} authentication scheme (draft-httpauth-payment, with
 * draft-lightning-charge for Lightning): {@code WWW-Authenticate: Payment id="…", realm="…",
 * method="lightning", intent="charge", request="<base64url JSON>"[, expires=…]}. The optional
 * parameters are null when absent.
 *
 * <p>Parsing follows RFC 9110's challenge grammar: scheme and parameter names in any case,
 * quoted or bare values (quoted-pairs unescaped), several challenges in one value (as the Fetch
 * API joins them), other schemes' parameters kept apart, the first of a repeated parameter, and
 * incomplete offers skipped.
 */
public record PaymentChallenge(String id, String realm, String method, String intent, String request, String expires,
        String digest, String description, String opaque) {
    public static final String SCHEME = "Payment";
    public static final String METHOD_LIGHTNING = "lightning";
    public static final String INTENT_CHARGE = "charge";
    /** Keeps a hostile header from costing more than a linear scan of a bounded string. */
    static final int MAX_HEADER_LENGTH = 16 * 1024;

    public PaymentChallenge {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(request, "request");
    }

    /** A Lightning charge: the required parameters and an expiry, nothing else. */
    public static PaymentChallenge charge(String id, String realm, String request, String expires) {
        return new PaymentChallenge(id, realm, METHOD_LIGHTNING, INTENT_CHARGE, request, expires, null, null, null);
    }

    /** The same challenge with another id: what a server does after computing the id's binding. */
    public PaymentChallenge withId(String newId) {
        return new PaymentChallenge(newId, realm, method, intent, request, expires, digest, description, opaque);
    }

    /** The header value: parameters in the draft's order, every value quoted. */
    public String format() {
        StringBuilder out = new StringBuilder(SCHEME).append(' ');
        Map<String, String> params = parameters();
        boolean first = true;
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append(p.getKey()).append("=\"");
            String v = p.getValue();
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            out.append('"');
        }
        return out.toString();
    }

    /** The parameters that are present, in the draft's order. */
    public Map<String, String> parameters() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("id", id);
        params.put("realm", realm);
        params.put("method", method);
        params.put("intent", intent);
        params.put("request", request);
        putIfPresent(params, "expires", expires);
        putIfPresent(params, "digest", digest);
        putIfPresent(params, "description", description);
        putIfPresent(params, "opaque", opaque);
        return params;
    }

    private static void putIfPresent(Map<String, String> params, String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
    }

    /** Builds a challenge from named parameters, or null when a required one is missing. */
    static PaymentChallenge fromParameters(Map<String, String> p) {
        if (p.get("id") == null || p.get("realm") == null || p.get("method") == null || p.get("intent") == null
                || p.get("request") == null) {
            return null;
        }
        return new PaymentChallenge(p.get("id"), p.get("realm"), p.get("method"), p.get("intent"), p.get("request"),
                p.get("expires"), p.get("digest"), p.get("description"), p.get("opaque"));
    }

    /** Every complete Payment challenge in a {@code WWW-Authenticate} value, in order; never empty. */
    public static List<PaymentChallenge> parseAll(String headerValue) throws PaymentFormatException {
        if (headerValue == null) {
            throw new PaymentFormatException("no WWW-Authenticate header");
        }
        if (headerValue.length() > MAX_HEADER_LENGTH) {
            throw new PaymentFormatException("WWW-Authenticate header is too long");
        }
        List<PaymentChallenge> found = new ArrayList<>();
        Map<String, String> current = null;
        int i = 0;
        int n = headerValue.length();
        while (i < n) {
            char c = headerValue.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            while (i < n && isTokenChar(headerValue.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw new PaymentFormatException("unexpected character '" + c + "' in WWW-Authenticate");
            }
            String token = headerValue.substring(start, i);
            int j = skipSpaces(headerValue, i);
            if (j < n && headerValue.charAt(j) == '=') {
                // name=value: a parameter of the current challenge (ignored when that is another scheme's).
                j = skipSpaces(headerValue, j + 1);
                StringBuilder value = new StringBuilder();
                if (j < n && headerValue.charAt(j) == '"') {
                    j++;
                    boolean closed = false;
                    while (j < n) {
                        char q = headerValue.charAt(j);
                        if (q == '\\' && j + 1 < n) {
                            value.append(headerValue.charAt(j + 1));
                            j += 2;
                        } else if (q == '"') {
                            closed = true;
                            j++;
                            break;
                        } else {
                            value.append(q);
                            j++;
                        }
                    }
                    if (!closed) {
                        throw new PaymentFormatException("unterminated quoted value for " + token);
                    }
                } else {
                    while (j < n && isTokenChar(headerValue.charAt(j))) {
                        value.append(headerValue.charAt(j));
                        j++;
                    }
                }
                if (current != null) {
                    current.putIfAbsent(token.toLowerCase(Locale.ROOT), value.toString());
                }
                i = j;
            } else {
                // A scheme name starts the next challenge.
                addIfComplete(found, current);
                current = token.equalsIgnoreCase(SCHEME) ? new LinkedHashMap<>() : null;
                i = skipToken68(headerValue, j);
            }
        }
        addIfComplete(found, current);
        if (found.isEmpty()) {
            throw new PaymentFormatException("no complete Payment challenge in WWW-Authenticate");
        }
        return found;
    }

    /** The first Payment challenge for a Lightning charge, the one a paying client takes. */
    public static PaymentChallenge parseLightningCharge(String headerValue) throws PaymentFormatException {
        for (PaymentChallenge c : parseAll(headerValue)) {
            if (c.method().equals(METHOD_LIGHTNING) && c.intent().equals(INTENT_CHARGE)) {
                return c;
            }
        }
        throw new PaymentFormatException("no Payment challenge with method=\"lightning\", intent=\"charge\"");
    }

    private static void addIfComplete(List<PaymentChallenge> found, Map<String, String> params) {
        if (params != null) {
            PaymentChallenge c = fromParameters(params);
            if (c != null) {
                found.add(c);
            }
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * After a scheme name, skips a token68 (the {@code abc==} of {@code Negotiate abc==}) when one
     * stands there alone; a {@code name=value} parameter is left for the main loop.
     */
    private static int skipToken68(String s, int i) {
        int j = i;
        while (j < s.length() && (isTokenChar(s.charAt(j)) || s.charAt(j) == '/')) {
            j++;
        }
        while (j < s.length() && s.charAt(j) == '=') {
            j++;
        }
        int after = skipSpaces(s, j);
        boolean alone = after == s.length() || s.charAt(after) == ',';
        return j > i && alone ? after : i;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
