package org.chroma402.l402.macaroon;

import java.util.ArrayList;
import java.util.List;
import org.chroma402.l402.RootKey;

/** Mints macaroons: starts the HMAC chain from a root key and chains the first-party caveats. */
public final class MacaroonMinter {

    private MacaroonMinter() {
    }

    /**
     * Mints a macaroon with the given identifier and first-party caveats, signed as go-macaroon
     * does: {@code sig0 = HMAC(HMAC("macaroons-key-generator", rootKey), identifier)}, then one
     * HMAC per caveat.
     */
    public static Macaroon mint(RootKey rootKey, String location, byte[] identifier, List<String> caveats) {
        byte[] signature = Hmac.sha256(Hmac.derivedKey(rootKey.bytes()), identifier);
        List<MacaroonCaveat> packets = new ArrayList<>(caveats.size());
        for (String text : caveats) {
            MacaroonCaveat caveat = MacaroonCaveat.firstParty(text);
            signature = Hmac.chain(signature, caveat);
            packets.add(caveat);
        }
        return new Macaroon(location, identifier, packets, signature);
    }
}
