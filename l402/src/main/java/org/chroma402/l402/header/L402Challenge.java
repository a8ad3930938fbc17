package org.chroma402.l402.header;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.l402.macaroon.MacaroonCodec;
import org.chroma402.l402.macaroon.MacaroonFormatException;

/**
 * The L402 challenge a {@code 402 Payment Required} carries in {@code WWW-Authenticate}: a
 * macaroon (base64) and the BOLT11 invoice whose preimage unlocks it.
 *
 * <p>Emitting follows Aperture: {@code L402 macaroon="…", invoice="…"}, sent twice with the
 * {@code LSAT} scheme first for old clients. Parsing also accepts the newer
 * {@code version="0", token="…"} form, either scheme in any case, unknown parameters, and a
 * header value that joins several challenges (as the Fetch API does), taking the first one.
 */
public record L402Challenge(String macaroonBase64, String invoice) {
    public static final String SCHEME_L402 = "L402";
    public static final String SCHEME_LSAT = "LSAT";

    public L402Challenge {
        Objects.requireNonNull(macaroonBase64, "macaroonBase64");
        Objects.requireNonNull(invoice, "invoice");
    }

    public static L402Challenge of(Macaroon macaroon, String invoice) {
        return new L402Challenge(macaroon.toBase64(), invoice);
    }

    /** The header value for one scheme, such as {@code L402 macaroon="…", invoice="…"}. */
    public String format(String scheme) {
        return scheme + " macaroon=\"" + macaroonBase64 + "\", invoice=\"" + invoice + "\"";
    }

    /**
     * The 2026 specification's form, {@code L402 version="0", token="…", invoice="…"}. lnget 1.1
     * cannot read it (it wants {@code macaroon=} first), so it is never the only L402 line by default.
     */
    public String formatVersioned() {
        return SCHEME_L402 + " version=\"0\", token=\"" + macaroonBase64 + "\", invoice=\"" + invoice + "\"";
    }

    /** The macaroon, decoded. */
    public Macaroon macaroon() throws MacaroonFormatException {
        return MacaroonCodec.decodeBase64(macaroonBase64);
    }

    /** Parses the first L402 or LSAT challenge found in a {@code WWW-Authenticate} value. */
    public static L402Challenge parse(String headerValue) throws HeaderFormatException {
        if (headerValue == null) {
            throw new HeaderFormatException("no WWW-Authenticate header");
        }
        String value = headerValue.strip();
        int start = findScheme(value);
        if (start < 0) {
            throw new HeaderFormatException("no L402 or LSAT challenge in WWW-Authenticate");
        }
        Map<String, String> params = parameters(value, start);
        String macaroon = params.containsKey("macaroon") ? params.get("macaroon") : params.get("token");
        String invoice = params.get("invoice");
        if (macaroon == null || macaroon.isEmpty()) {
            throw new HeaderFormatException("challenge has no macaroon (or token) parameter");
        }
        if (invoice == null || invoice.isEmpty()) {
            throw new HeaderFormatException("challenge has no invoice parameter");
        }
        return new L402Challenge(macaroon, invoice);
    }

    /** Index just after the first {@code L402} or {@code LSAT} scheme token, or -1. */
    private static int findScheme(String value) {
        String upper = value.toUpperCase(Locale.ROOT);
        int best = -1;
        for (String scheme : new String[] {SCHEME_L402, SCHEME_LSAT}) {
            int from = 0;
            while (true) {
                int at = upper.indexOf(scheme, from);
                if (at < 0) {
                    break;
                }
                boolean startsToken = at == 0 || upper.charAt(at - 1) == ' ' || upper.charAt(at - 1) == ',';
                int end = at + scheme.length();
                boolean endsToken = end < upper.length() && Character.isWhitespace(upper.charAt(end));
                if (startsToken && endsToken) {
                    if (best < 0 || at < best) {
                        best = at;
                    }
                    break;
                }
                from = at + 1;
            }
        }
        return best < 0 ? -1 : best + SCHEME_L402.length();
    }

    /**
     * Reads {@code name="value"} or {@code name=token} pairs separated by commas, stopping at the
     * next challenge (a bare scheme token) so that only the first challenge is read.
     */
    private static Map<String, String> parameters(String value, int from) throws HeaderFormatException {
        Map<String, String> params = new LinkedHashMap<>();
        int i = from;
        int n = value.length();
        while (i < n) {
            while (i < n && (value.charAt(i) == ',' || Character.isWhitespace(value.charAt(i)))) {
                i++;
            }
            int nameStart = i;
            while (i < n && value.charAt(i) != '=' && value.charAt(i) != ',' && !Character.isWhitespace(value.charAt(i))) {
                i++;
            }
            String name = value.substring(nameStart, i).toLowerCase(Locale.ROOT);
            int j = i;
            while (j < n && Character.isWhitespace(value.charAt(j))) {
                j++;
            }
            if (name.isEmpty()) {
                break;
            }
            if (j >= n || value.charAt(j) != '=') {
                // A bare token: the scheme of the next challenge.
                break;
            }
            i = j + 1;
            while (i < n && Character.isWhitespace(value.charAt(i))) {
                i++;
            }
            String paramValue;
            if (i < n && value.charAt(i) == '"') {
                int close = value.indexOf('"', i + 1);
                if (close < 0) {
                    throw new HeaderFormatException("unterminated quoted value for " + name);
                }
                paramValue = value.substring(i + 1, close);
                i = close + 1;
            } else {
                int end = i;
                while (end < n && value.charAt(end) != ',' && !Character.isWhitespace(value.charAt(end))) {
                    end++;
                }
                paramValue = value.substring(i, end);
                i = end;
            }
            params.putIfAbsent(name, paramValue);
        }
        return params;
    }
}
