package org.chroma402.l402.macaroon;

import java.security.MessageDigest;
import org.chroma402.l402.RootKey;

/**
 * Checks that a macaroon was minted with a root key and only attenuated since.
 *
 * <p>This checks the signature alone; what the caveats mean is checked by
 * {@link org.chroma402.l402.caveat.CaveatVerifier}. Macaroons with third-party caveats are
 * refused: L402 does not use discharge macaroons.
 */
public final class MacaroonVerifier {

    private MacaroonVerifier() {
    }

    /** Whether the signature chain checks out; compares in constant time. */
    public static boolean verifySignature(Macaroon macaroon, RootKey rootKey) {
        byte[] signature = Hmac.sha256(Hmac.derivedKey(rootKey.bytes()), macaroon.identifier());
        for (MacaroonCaveat caveat : macaroon.caveats()) {
            if (!caveat.isFirstParty()) {
                return false;
            }
            signature = Hmac.chain(signature, caveat);
        }
        return MessageDigest.isEqual(signature, macaroon.signature());
    }
}
