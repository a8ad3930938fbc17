package org.chroma402.l402.payment;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The challenge {@code id} as draft-httpauth-payment binds it: base64url(HMAC-SHA256(secret,
 * realm|method|intent|request|expires|digest|opaque)), absent optional slots empty. A server that
 * issued a challenge can then recognise the parameters a credential echoes without storing them.
 */
public final class ChallengeBinding {
    private ChallengeBinding() {
    }

    /** The pipe-joined input of the HMAC. */
    public static String hmacInput(PaymentChallenge c) {
        return String.join("|", c.realm(), c.method(), c.intent(), c.request(), orEmpty(c.expires()),
                orEmpty(c.digest()), orEmpty(c.opaque()));
    }

    public static String id(byte[] secret, PaymentChallenge c) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64Url.encode(mac.doFinal(hmacInput(c).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    /** Whether {@code c.id()} is the binding of its parameters under {@code secret}, compared in constant time. */
    public static boolean verify(byte[] secret, PaymentChallenge c) {
        return MessageDigest.isEqual(id(secret, c).getBytes(StandardCharsets.US_ASCII),
                c.id().getBytes(StandardCharsets.UTF_8));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
