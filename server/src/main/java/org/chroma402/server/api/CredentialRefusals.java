package org.chroma402.server.api;

import org.chroma402.server.gate.RedeemResult.RejectReason;

/**
 * What the API tells a client whose credential bought nothing: an {@code error_code} saying why, and
 * what to do. Everything a payment can cure still comes with a fresh 402 challenge (lnget and
 * other clients pay again only after a 402); a malformed credential is a 401, as the 2026 L402
 * specification says, also with a fresh challenge.
 */
final class CredentialRefusals {
    /** One refusal as the client sees it. */
    record Refusal(ErrorCode errorCode, String error, String suggestion) {
        int status() {
            return errorCode.status();
        }

        String code() {
            return errorCode.code();
        }
    }

    private CredentialRefusals() {
    }

    static Refusal of(RejectReason reason) {
        return of(reason, false);
    }

    /** @param x402 whether the credential was an x402 {@code PAYMENT-SIGNATURE} (a paid invoice, no token) */
    static Refusal of(RejectReason reason, boolean x402) {
        if (x402) {
            switch (reason) {
                case MALFORMED_CREDENTIAL:
                    return new Refusal(ErrorCode.MALFORMED, "the PAYMENT-SIGNATURE header is not an x402 v2 Lightning payment",
                            "send base64 of {\"x402Version\":2,\"accepted\":<the PAYMENT-REQUIRED entry>,"
                                    + "\"payload\":{\"invoice\":<its extra.invoice>}}");
                case UNKNOWN_TOKEN, BAD_SIGNATURE:
                    return new Refusal(ErrorCode.UNKNOWN_KEY, "this server did not offer that invoice as sent",
                            "pay the invoice of this PAYMENT-REQUIRED and send its accepts entry unchanged");
                case UNPAID:
                    return new Refusal(ErrorCode.UNPAID, "the invoice has not been paid yet",
                            "pay the invoice first (or this new one), then send the same request again");
                case OTHER_REQUEST:
                    return new Refusal(ErrorCode.OTHER_REQUEST, "the invoice was issued for a different request "
                            + "(another photo, model_size or input_size)", ErrorCode.OTHER_REQUEST.suggestion());
                default:
                    break;
            }
        }
        return switch (reason) {
            case NO_CREDENTIAL -> refusal(ErrorCode.PAYMENT_REQUIRED,
                    "payment required: pay the invoice, then send the same request again with the credential");
            case MALFORMED_CREDENTIAL -> refusal(ErrorCode.MALFORMED,
                    "the Authorization header is not a credential this server can read");
            case UNKNOWN_TOKEN, UNKNOWN_ROOT_KEY, BAD_SIGNATURE -> refusal(ErrorCode.UNKNOWN_KEY,
                    "this server did not issue that token, or no longer honours it");
            case WRONG_PREIMAGE -> refusal(ErrorCode.WRONG_PREIMAGE, "the invoice was paid, but this is not its preimage");
            case UNPAID -> new Refusal(ErrorCode.UNPAID, "the token's invoice has not been paid yet",
                    "pay the invoice that came with the macaroon first, or this new one");
            case OTHER_REQUEST, CAVEAT_FAILED -> refusal(ErrorCode.OTHER_REQUEST,
                    "the token was bought for a different request (another photo or model_size)");
            case EXPIRED -> refusal(ErrorCode.EXPIRED, "the token expired before it was used");
        };
    }

    private static Refusal refusal(ErrorCode code, String error) {
        return new Refusal(code, error, code.suggestion());
    }
}
