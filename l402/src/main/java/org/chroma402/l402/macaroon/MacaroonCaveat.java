package org.chroma402.l402.macaroon;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One caveat packet of a macaroon. First-party caveats carry only an identifier (for L402, a
 * {@code condition=value} string); third-party caveats also carry a verification id and
 * usually a location. Chroma402 never mints third-party caveats but keeps them when parsing.
 */
public record MacaroonCaveat(String location, byte[] id, byte[] verificationId) {

    public MacaroonCaveat {
        location = location == null ? "" : location;
        id = Objects.requireNonNull(id, "id").clone();
        verificationId = verificationId == null ? new byte[0] : verificationId.clone();
    }

    /** A first-party caveat from its UTF-8 text. */
    public static MacaroonCaveat firstParty(String caveat) {
        return new MacaroonCaveat("", caveat.getBytes(StandardCharsets.UTF_8), null);
    }

    public boolean isFirstParty() {
        return verificationId.length == 0;
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    @Override
    public byte[] verificationId() {
        return verificationId.clone();
    }

    /** The identifier as text; first-party L402 caveats are UTF-8. */
    public String idText() {
        return new String(id, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacaroonCaveat other
                && location.equals(other.location)
                && Arrays.equals(id, other.id)
                && Arrays.equals(verificationId, other.verificationId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(location, Arrays.hashCode(id), Arrays.hashCode(verificationId));
    }

    @Override
    public String toString() {
        return isFirstParty() ? "MacaroonCaveat[" + idText() + "]" : "MacaroonCaveat[third-party @" + location + "]";
    }
}
