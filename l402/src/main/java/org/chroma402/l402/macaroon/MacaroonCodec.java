package org.chroma402.l402.macaroon;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The libmacaroons v2 binary format, byte for byte as go-macaroon writes and reads it.
 *
 * <p>Layout: {@code 0x02}, a header section ({@code [location] identifier EOS}), one section per
 * caveat ({@code [location] identifier [verificationId] EOS}), an empty section ({@code EOS}),
 * then the signature packet. A packet is {@code varint(type) varint(length) data}; within a
 * section field types strictly increase. Decoding is strict: any truncation, unknown field,
 * out-of-order field or trailing byte is a {@link MacaroonFormatException}.
 */
public final class MacaroonCodec {
    static final int VERSION_2 = 2;
    static final int FIELD_EOS = 0;
    static final int FIELD_LOCATION = 1;
    static final int FIELD_IDENTIFIER = 2;
    static final int FIELD_VERIFICATION_ID = 4;
    static final int FIELD_SIGNATURE = 6;

    /** Far above any real macaroon; stops a hostile length from allocating gigabytes. */
    public static final int MAX_ENCODED_LENGTH = 64 * 1024;

    private MacaroonCodec() {
    }

    public static byte[] encode(Macaroon macaroon) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(VERSION_2);
        if (!macaroon.location().isEmpty()) {
            writePacket(out, FIELD_LOCATION, macaroon.location().getBytes(StandardCharsets.UTF_8));
        }
        writePacket(out, FIELD_IDENTIFIER, macaroon.identifier());
        out.write(FIELD_EOS);
        for (MacaroonCaveat caveat : macaroon.caveats()) {
            if (!caveat.location().isEmpty()) {
                writePacket(out, FIELD_LOCATION, caveat.location().getBytes(StandardCharsets.UTF_8));
            }
            writePacket(out, FIELD_IDENTIFIER, caveat.id());
            if (!caveat.isFirstParty()) {
                writePacket(out, FIELD_VERIFICATION_ID, caveat.verificationId());
            }
            out.write(FIELD_EOS);
        }
        out.write(FIELD_EOS);
        writePacket(out, FIELD_SIGNATURE, macaroon.signature());
        return out.toByteArray();
    }

    /** Standard base64 with padding: what go-macaroon clients and Aperture emit. */
    public static String encodeBase64(Macaroon macaroon) {
        return Base64.getEncoder().encodeToString(encode(macaroon));
    }

    /** Decodes base64 in the standard or URL-safe alphabet, padded or not. */
    public static Macaroon decodeBase64(String text) throws MacaroonFormatException {
        if (text == null || text.isBlank()) {
            throw new MacaroonFormatException("macaroon is empty");
        }
        String trimmed = text.strip();
        if (trimmed.length() > MAX_ENCODED_LENGTH * 4 / 3 + 4) {
            throw new MacaroonFormatException("macaroon is longer than " + MAX_ENCODED_LENGTH + " bytes");
        }
        int end = trimmed.length();
        while (end > 0 && trimmed.charAt(end - 1) == '=') {
            end--;
        }
        String normalized = trimmed.substring(0, end).replace('-', '+').replace('_', '/');
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(normalized);
        } catch (IllegalArgumentException e) {
            throw new MacaroonFormatException("macaroon is not valid base64");
        }
        return decode(bytes);
    }

    public static Macaroon decode(byte[] data) throws MacaroonFormatException {
        if (data.length == 0) {
            throw new MacaroonFormatException("macaroon is empty");
        }
        if (data.length > MAX_ENCODED_LENGTH) {
            throw new MacaroonFormatException("macaroon is longer than " + MAX_ENCODED_LENGTH + " bytes");
        }
        if (data[0] != VERSION_2) {
            throw new MacaroonFormatException(
                    "unsupported macaroon format (first byte 0x" + Integer.toHexString(data[0] & 0xff)
                            + "); only the v2 binary format is supported");
        }
        Reader reader = new Reader(data, 1);

        List<Packet> header = reader.section();
        String location = "";
        int next = 0;
        if (next < header.size() && header.get(next).type == FIELD_LOCATION) {
            location = header.get(next++).text();
        }
        if (header.size() - next != 1 || header.get(next).type != FIELD_IDENTIFIER) {
            throw new MacaroonFormatException("invalid macaroon header: expected [location] identifier");
        }
        byte[] identifier = header.get(next).data;

        List<MacaroonCaveat> caveats = new ArrayList<>();
        while (true) {
            List<Packet> section = reader.section();
            if (section.isEmpty()) {
                break;
            }
            caveats.add(caveat(section));
        }

        Packet signature = reader.packet();
        if (signature.type != FIELD_SIGNATURE) {
            throw new MacaroonFormatException("expected the signature, found field type " + signature.type);
        }
        if (signature.data.length != 32) {
            throw new MacaroonFormatException("signature must be 32 bytes, got " + signature.data.length);
        }
        if (reader.remaining() != 0) {
            throw new MacaroonFormatException(reader.remaining() + " unexpected bytes after the signature");
        }
        return new Macaroon(location, identifier, caveats, signature.data);
    }

    private static MacaroonCaveat caveat(List<Packet> section) throws MacaroonFormatException {
        int next = 0;
        String location = "";
        if (section.get(next).type == FIELD_LOCATION) {
            location = section.get(next++).text();
        }
        if (next >= section.size() || section.get(next).type != FIELD_IDENTIFIER) {
            throw new MacaroonFormatException("caveat has no identifier");
        }
        byte[] id = section.get(next++).data;
        if (next == section.size()) {
            if (!location.isEmpty()) {
                throw new MacaroonFormatException("location not allowed in a first-party caveat");
            }
            return new MacaroonCaveat("", id, null);
        }
        if (next != section.size() - 1 || section.get(next).type != FIELD_VERIFICATION_ID) {
            throw new MacaroonFormatException("caveat has unexpected fields");
        }
        byte[] verificationId = section.get(next).data;
        if (verificationId.length == 0) {
            throw new MacaroonFormatException("third-party caveat has an empty verification id");
        }
        return new MacaroonCaveat(location, id, verificationId);
    }

    private static void writePacket(ByteArrayOutputStream out, int type, byte[] data) {
        writeVarint(out, type);
        writeVarint(out, data.length);
        out.write(data, 0, data.length);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while (value >= 0x80) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    private record Packet(int type, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** A cursor over untrusted bytes; every read is bounds-checked. */
    private static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data, int pos) {
            this.data = data;
            this.pos = pos;
        }

        int remaining() {
            return data.length - pos;
        }

        /** Packets up to and excluding the next EOS, in strictly increasing field order. */
        List<Packet> section() throws MacaroonFormatException {
            List<Packet> packets = new ArrayList<>();
            int previousType = FIELD_EOS;
            while (true) {
                if (remaining() == 0) {
                    throw new MacaroonFormatException("macaroon is truncated: section has no end marker");
                }
                if (data[pos] == FIELD_EOS) {
                    pos++;
                    return packets;
                }
                Packet packet = packet();
                if (packet.type <= previousType) {
                    throw new MacaroonFormatException("macaroon fields out of order");
                }
                if (packet.type != FIELD_LOCATION && packet.type != FIELD_IDENTIFIER
                        && packet.type != FIELD_VERIFICATION_ID) {
                    throw new MacaroonFormatException("unexpected field type " + packet.type + " in a section");
                }
                previousType = packet.type;
                packets.add(packet);
            }
        }

        Packet packet() throws MacaroonFormatException {
            long type = varint();
            long length = varint();
            if (type == FIELD_EOS) {
                throw new MacaroonFormatException("unexpected end marker");
            }
            if (type > FIELD_SIGNATURE) {
                throw new MacaroonFormatException("unknown field type " + type);
            }
            if (length > remaining()) {
                throw new MacaroonFormatException(
                        "macaroon is truncated: field needs " + length + " bytes, " + remaining() + " left");
            }
            byte[] bytes = new byte[(int) length];
            System.arraycopy(data, pos, bytes, 0, bytes.length);
            pos += bytes.length;
            return new Packet((int) type, bytes);
        }

        private long varint() throws MacaroonFormatException {
            long value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                if (remaining() == 0) {
                    throw new MacaroonFormatException("macaroon is truncated inside a length or type");
                }
                int b = data[pos++] & 0xff;
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new MacaroonFormatException("varint too long");
        }
    }
}
