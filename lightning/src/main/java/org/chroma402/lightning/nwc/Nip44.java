package org.chroma402.lightning.nwc;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * NIP-44 version 2 encrypted payloads: HKDF-SHA256 keys from the ECDH secret, ChaCha20 over a
 * length-prefixed, padded message, and an HMAC-SHA256 over nonce and ciphertext checked before
 * anything is decrypted. Checked against the published vectors (paulmillr/nip44).
 */
public final class Nip44 {
    private static final byte VERSION = 2;
    private static final byte[] SALT = "nip44-v2".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_PLAINTEXT = 65535;

    private Nip44() {
    }

    /** The long-lived key two parties share: HKDF-extract("nip44-v2", shared x). */
    public static byte[] conversationKey(NostrKeys mine, String peerPublicKeyHex) {
        return hmac(SALT, mine.sharedX(peerPublicKeyHex));
    }

    public static String encrypt(String plaintext, byte[] conversationKey, SecureRandom random) {
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        return encrypt(plaintext, conversationKey, nonce);
    }

    /** Encrypts with a given nonce; only tests (and their vectors) choose nonces. */
    static String encrypt(String plaintext, byte[] conversationKey, byte[] nonce) {
        byte[] message = plaintext.getBytes(StandardCharsets.UTF_8);
        if (message.length < 1 || message.length > MAX_PLAINTEXT) {
            throw new NostrException("NIP-44 messages are 1 to 65535 bytes, not " + message.length);
        }
        byte[][] keys = messageKeys(conversationKey, nonce);
        ByteBuffer padded = ByteBuffer.allocate(2 + paddedLength(message.length));
        padded.putShort((short) message.length).put(message);
        byte[] ciphertext = chacha20(keys[0], keys[1], padded.array());
        byte[] mac = hmac(keys[2], concat(nonce, ciphertext));
        return Base64.getEncoder().encodeToString(concat(new byte[] {VERSION}, nonce, ciphertext, mac));
    }

    public static String decrypt(String payload, byte[] conversationKey) {
        if (payload == null || payload.isEmpty() || payload.charAt(0) == '#') {
            throw new NostrException("unknown NIP-44 encryption version");
        }
        if (payload.length() < 132 || payload.length() > 87472) {
            throw new NostrException("invalid NIP-44 payload size " + payload.length());
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            throw new NostrException("NIP-44 payload is not base64");
        }
        if (data.length < 99 || data.length > 65603) {
            throw new NostrException("invalid NIP-44 data size " + data.length);
        }
        if (data[0] != VERSION) {
            throw new NostrException("unknown NIP-44 encryption version " + data[0]);
        }
        byte[] nonce = Arrays.copyOfRange(data, 1, 33);
        byte[] ciphertext = Arrays.copyOfRange(data, 33, data.length - 32);
        byte[] mac = Arrays.copyOfRange(data, data.length - 32, data.length);
        byte[][] keys = messageKeys(conversationKey, nonce);
        if (!MessageDigest.isEqual(mac, hmac(keys[2], concat(nonce, ciphertext)))) {
            throw new NostrException("invalid NIP-44 MAC");
        }
        byte[] padded = chacha20(keys[0], keys[1], ciphertext);
        int length = ((padded[0] & 0xff) << 8) | (padded[1] & 0xff);
        if (length < 1 || length > padded.length - 2 || padded.length != 2 + paddedLength(length)) {
            throw new NostrException("invalid NIP-44 padding");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(padded, 2, length)).toString();
        } catch (CharacterCodingException e) {
            throw new NostrException("NIP-44 plaintext is not UTF-8");
        }
    }

    /** The padded size of a message of {@code length} bytes: powers of two, in eighths above 256. */
    static int paddedLength(int length) {
        if (length <= 32) {
            return 32;
        }
        int nextPower = 1 << (32 - Integer.numberOfLeadingZeros(length - 1));
        int chunk = nextPower <= 256 ? 32 : nextPower / 8;
        return chunk * ((length - 1) / chunk + 1);
    }

    /** ChaCha20 key, ChaCha20 nonce and HMAC key: HKDF-expand(conversation key, nonce, 76 bytes). */
    static byte[][] messageKeys(byte[] conversationKey, byte[] nonce) {
        if (conversationKey.length != 32 || nonce.length != 32) {
            throw new NostrException("NIP-44 keys and nonces are 32 bytes");
        }
        byte[] okm = new byte[76];
        byte[] previous = new byte[0];
        for (int block = 1, offset = 0; offset < okm.length; block++) {
            previous = hmac(conversationKey, concat(previous, nonce, new byte[] {(byte) block}));
            int n = Math.min(previous.length, okm.length - offset);
            System.arraycopy(previous, 0, okm, offset, n);
            offset += n;
        }
        return new byte[][] {Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 32, 44),
                Arrays.copyOfRange(okm, 44, 76)};
    }

    private static byte[] chacha20(byte[] key, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("ChaCha20");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, 0));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 is part of every Java 11+ runtime", e);
        }
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        for (byte[] p : parts) {
            out.put(p);
        }
        return out.array();
    }
}
