package org.chroma402.l402.bolt11;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** One hop of a private route hint ({@code r} field), 51 bytes on the wire. */
public record RouteHop(byte[] pubkey, long shortChannelId, long feeBaseMsat, long feeProportionalMillionths,
        int cltvExpiryDelta) {
    static final int ENCODED_LENGTH = 33 + 8 + 4 + 4 + 2;

    public RouteHop {
        pubkey = Objects.requireNonNull(pubkey, "pubkey").clone();
        if (pubkey.length != 33) {
            throw new IllegalArgumentException("route hop pubkey must be 33 bytes");
        }
    }

    @Override
    public byte[] pubkey() {
        return pubkey.clone();
    }

    public String pubkeyHex() {
        return HexFormat.of().formatHex(pubkey);
    }

    /** The short channel id as {@code block x tx x output}, as the spec writes it. */
    public String shortChannelIdText() {
        return (shortChannelId >>> 40) + "x" + ((shortChannelId >>> 16) & 0xffffff) + "x" + (shortChannelId & 0xffff);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteHop other && Arrays.equals(pubkey, other.pubkey)
                && shortChannelId == other.shortChannelId && feeBaseMsat == other.feeBaseMsat
                && feeProportionalMillionths == other.feeProportionalMillionths
                && cltvExpiryDelta == other.cltvExpiryDelta;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(pubkey), shortChannelId, feeBaseMsat, feeProportionalMillionths,
                cltvExpiryDelta);
    }
}
