package org.chroma402.l402.macaroon;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable macaroon: location, identifier, caveats and the HMAC chain's final signature.
 *
 * <p>Anyone holding a macaroon may attenuate it with {@link #withFirstPartyCaveat(String)};
 * only the holder of the root key can mint or verify one ({@link MacaroonMinter},
 * {@link MacaroonVerifier}). Serialisation is the libmacaroons v2 binary format
 * ({@link MacaroonCodec}).
 */
public record Macaroon(String location, byte[] identifier, List<MacaroonCaveat> caveats, byte[] signature) {

    public Macaroon {
        location = location == null ? "" : location;
        identifier = Objects.requireNonNull(identifier, "identifier").clone();
        caveats = List.copyOf(caveats);
        signature = Objects.requireNonNull(signature, "signature").clone();
        if (signature.length != 32) {
            throw new IllegalArgumentException("signature must be 32 bytes, got " + signature.length);
        }
    }

    @Override
    public byte[] identifier() {
        return identifier.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The identifiers of the first-party caveats, as text, in order. */
    public List<String> firstPartyCaveats() {
        List<String> out = new ArrayList<>();
        for (MacaroonCaveat caveat : caveats) {
            if (caveat.isFirstParty()) {
                out.add(caveat.idText());
            }
        }
        return out;
    }

    /** A copy with one more first-party caveat and the signature chained over it. */
    public Macaroon withFirstPartyCaveat(String caveat) {
        MacaroonCaveat added = MacaroonCaveat.firstParty(caveat);
        List<MacaroonCaveat> more = new ArrayList<>(caveats);
        more.add(added);
        return new Macaroon(location, identifier, more, Hmac.chain(signature, added));
    }

    /** The v2 binary encoding. */
    public byte[] encode() {
        return MacaroonCodec.encode(this);
    }

    /** The v2 binary encoding in standard base64 with padding, as L402 headers carry it. */
    public String toBase64() {
        return MacaroonCodec.encodeBase64(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Macaroon other
                && location.equals(other.location)
                && Arrays.equals(identifier, other.identifier)
                && caveats.equals(other.caveats)
                && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(location, Arrays.hashCode(identifier), caveats, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        // The signature is what makes a macaroon a bearer credential: keep it out of logs.
        return "Macaroon[location=" + location + ", caveats=" + caveats.size() + "]";
    }
}
