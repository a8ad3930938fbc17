package org.chroma402.lightning.nwc;

import fr.acinq.secp256k1.Secp256k1;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.chroma402.l402.Bytes32;

/**
 * A Nostr key pair: a secp256k1 secret and its BIP-340 x-only public key. Signs event ids
 * (Schnorr) and derives the ECDH shared x-coordinate that NIP-04 and NIP-44 build on.
 */
public final class NostrKeys {
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] secret;
    private final String publicKeyHex;

    private NostrKeys(byte[] secret) {
        Secp256k1 secp = secp();
        if (secret.length != 32 || !secp.secKeyVerify(secret)) {
            throw new NostrException("not a valid secp256k1 secret key");
        }
        this.secret = secret.clone();
        this.publicKeyHex = HEX.formatHex(Arrays.copyOfRange(secp.pubkeyCreate(secret), 1, 33));
    }

    /** The key pair of a 64-hex-digit secret, as an NWC URI's {@code secret} carries it. */
    public static NostrKeys fromSecretHex(String hex) {
        if (!Bytes32.isHex(hex)) {
            throw new NostrException("a Nostr secret key is 64 hex digits");
        }
        return new NostrKeys(HEX.parseHex(hex));
    }

    public static NostrKeys generate(SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return new NostrKeys(secret);
    }

    /** The x-only public key, 64 lower-case hex digits. */
    public String publicKeyHex() {
        return publicKeyHex;
    }

    /** A BIP-340 signature of a 32-byte message (an event id). */
    public byte[] sign(byte[] message, SecureRandom random) {
        byte[] aux = new byte[32];
        random.nextBytes(aux);
        return secp().signSchnorr(message, secret, aux);
    }

    /** Whether {@code signature} is a valid BIP-340 signature of {@code message} by {@code publicKeyHex}. */
    public static boolean verify(String publicKeyHex, byte[] message, byte[] signature) {
        if (publicKeyHex == null || !publicKeyHex.matches("[0-9a-f]{64}") || signature.length != 64 || message.length != 32) {
            return false;
        }
        try {
            return secp().verifySchnorr(signature, message, HEX.parseHex(publicKeyHex));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The x-coordinate of {@code secret · P}, where P is the peer's x-only key lifted to even y:
     * the unhashed ECDH secret both NIP-04 and NIP-44 start from.
     */
    public byte[] sharedX(String peerPublicKeyHex) {
        if (!Bytes32.isHex(peerPublicKeyHex)) {
            throw new NostrException("a Nostr public key is 64 hex digits");
        }
        byte[] compressed = new byte[33];
        compressed[0] = 0x02;
        System.arraycopy(HEX.parseHex(peerPublicKeyHex), 0, compressed, 1, 32);
        try {
            Secp256k1 secp = secp();
            byte[] point = secp.pubKeyTweakMul(secp.pubkeyParse(compressed), secret);
            return Arrays.copyOfRange(point, 1, 33);
        } catch (RuntimeException e) {
            throw new NostrException("not a point on secp256k1: " + peerPublicKeyHex);
        }
    }

    @Override
    public String toString() {
        return "NostrKeys[" + publicKeyHex + ", secret=redacted]";
    }

    private static Secp256k1 secp() {
        try {
            return Secp256k1.get();
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("libsecp256k1 could not be loaded for " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch"), e);
        }
    }
}
