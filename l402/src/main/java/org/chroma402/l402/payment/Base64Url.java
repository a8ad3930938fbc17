package org.chroma402.l402.payment;

import java.util.Base64;

/**
 * base64url as the Payment scheme uses it: emitted without padding; read strictly, so that one
 * value has one spelling (correct padding is tolerated; the standard alphabet, embedded line
 * breaks, excess or internal padding and non-zero trailing bits are refused).
 */
public final class Base64Url {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /** Decodes {@code text}; the message of the exception says what is wrong with it. */
    public static byte[] decode(String text) throws PaymentFormatException {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '=') {
            end--;
        }
        int padding = text.length() - end;
        if (padding > 0 && (text.length() % 4 != 0 || padding > 2)) {
            throw new PaymentFormatException("base64url value has wrong padding");
        }
        String body = text.substring(0, end);
        if (body.length() % 4 == 1) {
            throw new PaymentFormatException("base64url value has a dangling character");
        }
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!alphabet) {
                throw new PaymentFormatException("base64url value has a character outside the URL-safe alphabet");
            }
        }
        byte[] bytes = DECODER.decode(body);
        if (!encode(bytes).equals(body)) {
            // Only non-zero bits after the last whole byte make the re-encoding differ.
            throw new PaymentFormatException("base64url value has non-zero trailing bits");
        }
        return bytes;
    }
}
