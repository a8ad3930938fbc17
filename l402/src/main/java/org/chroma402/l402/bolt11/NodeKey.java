package org.chroma402.l402.bolt11;

import fr.acinq.secp256k1.Secp256k1;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Lightning node's secp256k1 key pair, used to sign invoices. Signatures are RFC 6979
 * deterministic (libsecp256k1's default), low-S, with the recovery id BOLT11 needs.
 * {@code toString} shows only the public key.
 */
public final class NodeKey {
    private final byte[] secret;
    private final byte[] publicKey;

    private NodeKey(byte[] secret) {
        Secp256k1 secp = Secp.get();
        if (secret.length != 32 || !secp.secKeyVerify(secret)) {
            throw new IllegalArgumentException("not a valid secp256k1 secret key");
        }
        this.secret = secret.clone();
        this.publicKey = secp.pubKeyCompress(secp.pubkeyCreate(secret));
    }

    public static NodeKey fromSecret(byte[] secret) {
        return new NodeKey(Objects.requireNonNull(secret, "secret"));
    }

    public static NodeKey fromHex(String secretHex) {
        return new NodeKey(HexFormat.of().parseHex(secretHex));
    }

    public static NodeKey generate(SecureRandom random) {
        byte[] secret = new byte[32];
        while (true) {
            random.nextBytes(secret);
            if (Secp.get().secKeyVerify(secret)) {
                return new NodeKey(secret);
            }
        }
    }

    /** The 33-byte compressed public key: the node id. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public String publicKeyHex() {
        return HexFormat.of().formatHex(publicKey);
    }

    /** The secret, for persisting the key; handle with care. */
    public byte[] secret() {
        return secret.clone();
    }

    /** Signs a 32-byte hash: 64 bytes {@code r ‖ s} followed by the recovery id. */
    byte[] signRecoverable(byte[] hash) {
        Secp256k1 secp = Secp.get();
        byte[] compact = secp.sign(hash, secret, null);
        for (int recid = 0; recid < 4; recid++) {
            try {
                byte[] recovered = secp.pubKeyCompress(secp.ecdsaRecover(compact, hash, recid));
                if (java.util.Arrays.equals(recovered, publicKey)) {
                    byte[] out = new byte[65];
                    System.arraycopy(compact, 0, out, 0, 64);
                    out[64] = (byte) recid;
                    return out;
                }
            } catch (RuntimeException e) {
                // This recovery id does not yield a point; try the next one.
            }
        }
        throw new IllegalStateException("no recovery id reproduces the signing key");
    }

    @Override
    public String toString() {
        return "NodeKey[" + publicKeyHex() + "]";
    }
}
