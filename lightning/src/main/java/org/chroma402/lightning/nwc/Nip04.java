package org.chroma402.lightning.nwc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * NIP-04 encrypted content ({@code base64(ciphertext)?iv=base64(iv)}, AES-256-CBC keyed by the
 * raw ECDH x-coordinate). Deprecated by NIP-44 and unauthenticated, but still the only scheme
 * many NWC wallets speak, so Chroma402 falls back to it when a wallet does not announce NIP-44.
 */
public final class Nip04 {
    private static final String SEPARATOR = "?iv=";

    private Nip04() {
    }

    public static String encrypt(String plaintext, NostrKeys mine, String peerPublicKeyHex, SecureRandom random) {
        byte[] iv = new byte[16];
        random.nextBytes(iv);
        byte[] ciphertext = aes(Cipher.ENCRYPT_MODE, mine.sharedX(peerPublicKeyHex), iv,
                plaintext.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(ciphertext) + SEPARATOR + Base64.getEncoder().encodeToString(iv);
    }

    public static String decrypt(String content, NostrKeys mine, String peerPublicKeyHex) {
        int at = content == null ? -1 : content.indexOf(SEPARATOR);
        if (at < 0) {
            throw new NostrException("NIP-04 content has no ?iv=");
        }
        byte[] ciphertext;
        byte[] iv;
        try {
            ciphertext = Base64.getDecoder().decode(content.substring(0, at));
            iv = Base64.getDecoder().decode(content.substring(at + SEPARATOR.length()));
        } catch (IllegalArgumentException e) {
            throw new NostrException("NIP-04 content is not base64");
        }
        if (iv.length != 16 || ciphertext.length == 0 || ciphertext.length % 16 != 0) {
            throw new NostrException("NIP-04 content has the wrong size");
        }
        return new String(aes(Cipher.DECRYPT_MODE, mine.sharedX(peerPublicKeyHex), iv, ciphertext), StandardCharsets.UTF_8);
    }

    /** Whether a content string looks like NIP-04 rather than NIP-44. */
    public static boolean looksLikeNip04(String content) {
        return content != null && content.contains(SEPARATOR);
    }

    private static byte[] aes(int mode, byte[] key, byte[] iv, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(input);
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
            throw new NostrException("NIP-04 content does not decrypt");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
