package org.chroma402.l402.header;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.chroma402.l402.Bytes32;
import org.chroma402.l402.Preimage;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.l402.macaroon.MacaroonCodec;
import org.chroma402.l402.macaroon.MacaroonFormatException;

/**
 * An L402 credential: {@code Authorization: L402 <base64 macaroon>[,<base64 macaroon>…]:<hex preimage>}.
 *
 * <p>The scheme is case-insensitive and {@code LSAT} is accepted as a synonym. Macaroons may be
 * standard or URL-safe base64, padded or not, as lnget and lsat-js send them. The first macaroon
 * is the L402 token; any further ones are kept for callers that use them.
 */
public record L402Authorization(String scheme, List<Macaroon> macaroons, Preimage preimage) {
    private static final String NOT_THE_FORM = "Authorization is not of the form 'L402 <base64 macaroon>:<hex preimage>'";
    /** Keeps a hostile header from costing more than a handful of macaroon parses. */
    static final int MAX_MACAROONS = 8;

    public L402Authorization {
        if (macaroons.isEmpty()) {
            throw new IllegalArgumentException("a credential needs at least one macaroon");
        }
        macaroons = List.copyOf(macaroons);
    }

    public static L402Authorization of(Macaroon macaroon, Preimage preimage) {
        return new L402Authorization(L402Challenge.SCHEME_L402, List.of(macaroon), preimage);
    }

    /** The L402 token: the first macaroon. */
    public Macaroon macaroon() {
        return macaroons.get(0);
    }

    /** The header value, with standard padded base64. */
    public String format() {
        StringBuilder out = new StringBuilder(scheme).append(' ');
        for (int i = 0; i < macaroons.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(macaroons.get(i).toBase64());
        }
        return out.append(':').append(preimage.hex()).toString();
    }

    /** Parses an {@code Authorization} value; the message of the exception says what is wrong. */
    public static L402Authorization parse(String headerValue) throws HeaderFormatException {
        if (headerValue == null || headerValue.isBlank()) {
            throw new HeaderFormatException("no Authorization header");
        }
        if (headerValue.length() > MacaroonCodec.MAX_ENCODED_LENGTH * 2) {
            throw new HeaderFormatException("Authorization header is too long");
        }
        // Split by hand, not with a regular expression: every step is linear in the header's length,
        // whatever a hostile client sends (a backtracking pattern cost seconds on 8 KB of spaces).
        String value = headerValue.strip();
        int space = 0;
        while (space < value.length() && !Character.isWhitespace(value.charAt(space))) {
            space++;
        }
        String scheme = value.substring(0, space).toUpperCase(Locale.ROOT);
        if (!scheme.equals(L402Challenge.SCHEME_L402) && !scheme.equals(L402Challenge.SCHEME_LSAT)) {
            throw new HeaderFormatException(NOT_THE_FORM);
        }
        String credential = value.substring(space).strip();
        int colon = credential.lastIndexOf(':');
        if (colon < 0) {
            throw new HeaderFormatException(NOT_THE_FORM + ": no ':' before the preimage");
        }
        String preimageHex = credential.substring(colon + 1).strip();
        if (!Bytes32.isHex(preimageHex)) {
            throw new HeaderFormatException(NOT_THE_FORM + ": the preimage must be 64 hex characters");
        }
        String[] parts = credential.substring(0, colon).split(",", -1);
        if (parts.length > MAX_MACAROONS) {
            throw new HeaderFormatException("credential carries more than " + MAX_MACAROONS + " macaroons");
        }
        List<Macaroon> macaroons = new ArrayList<>();
        for (String part : parts) {
            if (part.isBlank()) {
                throw new HeaderFormatException("credential has an empty macaroon");
            }
            try {
                macaroons.add(MacaroonCodec.decodeBase64(part.strip()));
            } catch (MacaroonFormatException e) {
                throw new HeaderFormatException("credential macaroon is malformed: " + e.getMessage(), e);
            }
        }
        return new L402Authorization(scheme, macaroons, Preimage.fromHex(preimageHex));
    }

    /** Like {@link #parse} but empty for anything that is not a well-formed L402 credential. */
    public static Optional<L402Authorization> tryParse(String headerValue) {
        try {
            return Optional.of(parse(headerValue));
        } catch (HeaderFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "L402Authorization[scheme=" + scheme + ", macaroons=" + macaroons.size() + ", preimage=redacted]";
    }
}
