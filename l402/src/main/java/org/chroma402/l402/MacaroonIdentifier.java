package org.chroma402.l402;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The identifier of an L402 macaroon: {@code version (uint16 BE) ‖ payment hash ‖ token id},
 * 66 bytes for version 0, as Aperture and lnget encode it.
 */
public record MacaroonIdentifier(int version, PaymentHash paymentHash, TokenId tokenId) {
    /** The only version defined so far. */
    public static final int VERSION_0 = 0;
    public static final int ENCODED_LENGTH = 2 + 32 + 32;

    public MacaroonIdentifier {
        if (version != VERSION_0) {
            throw new IllegalArgumentException("unknown identifier version " + version);
        }
        Objects.requireNonNull(paymentHash, "paymentHash");
        Objects.requireNonNull(tokenId, "tokenId");
    }

    public static MacaroonIdentifier of(PaymentHash paymentHash, TokenId tokenId) {
        return new MacaroonIdentifier(VERSION_0, paymentHash, tokenId);
    }

    public byte[] encode() {
        return ByteBuffer.allocate(ENCODED_LENGTH)
                .putShort((short) version)
                .put(paymentHash.bytes())
                .put(tokenId.bytes())
                .array();
    }

    /** Decodes an identifier, switching on its version. */
    public static MacaroonIdentifier decode(byte[] identifier) throws L402FormatException {
        if (identifier.length < 2) {
            throw new L402FormatException("identifier is " + identifier.length + " bytes, too short for a version");
        }
        int version = ((identifier[0] & 0xff) << 8) | (identifier[1] & 0xff);
        if (version != VERSION_0) {
            throw new L402FormatException("unknown identifier version " + version);
        }
        if (identifier.length != ENCODED_LENGTH) {
            throw new L402FormatException(
                    "version 0 identifier must be " + ENCODED_LENGTH + " bytes, got " + identifier.length);
        }
        byte[] hash = new byte[32];
        byte[] token = new byte[32];
        System.arraycopy(identifier, 2, hash, 0, 32);
        System.arraycopy(identifier, 34, token, 0, 32);
        return new MacaroonIdentifier(version, new PaymentHash(hash), new TokenId(token));
    }
}
