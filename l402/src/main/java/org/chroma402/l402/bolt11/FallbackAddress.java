package org.chroma402.l402.bolt11;

import java.util.Arrays;
import java.util.Objects;

/**
 * An on-chain fallback ({@code f} field): a witness version 0–16 with its program, 17 with a
 * public key hash (P2PKH) or 18 with a script hash (P2SH).
 */
public record FallbackAddress(int version, byte[] program) {
    public static final int P2PKH = 17;
    public static final int P2SH = 18;

    public FallbackAddress {
        if (version < 0 || version > P2SH) {
            throw new IllegalArgumentException("fallback version " + version + " is not understood");
        }
        program = Objects.requireNonNull(program, "program").clone();
    }

    @Override
    public byte[] program() {
        return program.clone();
    }

    /** The address as a wallet shows it on {@code network}. */
    public String toAddress(Network network) {
        if (version == P2PKH) {
            return Base58.encodeCheck(network.p2pkhVersion(), program);
        }
        if (version == P2SH) {
            return Base58.encodeCheck(network.p2shVersion(), program);
        }
        byte[] programWords = Bech32.convertBits(program, 8, 5, true);
        byte[] words = new byte[programWords.length + 1];
        words[0] = (byte) version;
        System.arraycopy(programWords, 0, words, 1, programWords.length);
        return Bech32.encode(network.segwitHrp(), words, version == 0 ? Bech32.Variant.BECH32 : Bech32.Variant.BECH32M);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FallbackAddress other && version == other.version && Arrays.equals(program, other.program);
    }

    @Override
    public int hashCode() {
        return 31 * version + Arrays.hashCode(program);
    }
}
