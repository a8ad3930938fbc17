package org.chroma402.l402.macaroon;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 and the key derivation that go-macaroon applies to root keys. */
final class Hmac {
    private static final byte[] KEY_GENERATOR = "macaroons-key-generator".getBytes(StandardCharsets.US_ASCII);

    private Hmac() {
    }

    static byte[] sha256(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    /**
     * go-macaroon does not use the root key directly: it first derives
     * {@code HMAC-SHA256("macaroons-key-generator", rootKey)}. The written macaroon spec omits
     * this step, but tokens only interoperate with it.
     */
    static byte[] derivedKey(byte[] rootKey) {
        return sha256(KEY_GENERATOR, rootKey);
    }

    /** The signature after adding one caveat to a chain ending in {@code signature}. */
    static byte[] chain(byte[] signature, MacaroonCaveat caveat) {
        if (caveat.isFirstParty()) {
            return sha256(signature, caveat.id());
        }
        // go-macaroon's keyedHash2: HMAC(sig, HMAC(sig, vid) ‖ HMAC(sig, cid)).
        byte[] h1 = sha256(signature, caveat.verificationId());
        byte[] h2 = sha256(signature, caveat.id());
        byte[] both = new byte[h1.length + h2.length];
        System.arraycopy(h1, 0, both, 0, h1.length);
        System.arraycopy(h2, 0, both, h1.length, h2.length);
        return sha256(signature, both);
    }
}
