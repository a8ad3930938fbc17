package org.chroma402.server.gate;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.chroma402.l402.RootKey;
import org.chroma402.l402.TokenId;

/**
 * Each token gets its own root key, derived from a stored secret and the token id, so one
 * token's key tells nothing about another's and no key has to be stored per token.
 */
final class RootKeys {
    private static final byte[] LABEL = "chroma402 l402 root key v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAYMENT_LABEL = "chroma402 payment challenge id v1".getBytes(StandardCharsets.US_ASCII);

    private RootKeys() {
    }

    static RootKey derive(byte[] secret, TokenId tokenId) {
        return new RootKey(hmac(secret, LABEL, tokenId));
    }

    /**
     * The key that binds a token's Payment-scheme challenge id to its parameters: from the same
     * secret, under another label, so it tells nothing about the macaroon's root key.
     */
    static byte[] paymentBinding(byte[] secret, TokenId tokenId) {
        return hmac(secret, PAYMENT_LABEL, tokenId);
    }

    private static byte[] hmac(byte[] secret, byte[] label, TokenId tokenId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(label);
            return mac.doFinal(tokenId.bytes());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
