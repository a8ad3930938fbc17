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
    record Refusal(int status, String code, String error, String suggestion) {
    }

    private CredentialRefusals() {
    }

    static Refusal of(RejectReason reason) {
        return switch (reason) {
            case NO_CREDENTIAL -> new Refusal(402, "payment_required",
                    "payment required: pay the invoice, then send the same request again with the credential",
                    "pay the invoice with any Lightning wallet, then repeat this exact request with the header "
                            + "'Authorization: L402 <macaroon>:<preimage>'");
            case MALFORMED_CREDENTIAL -> new Refusal(401, "malformed",
                    "the Authorization header is not an L402 credential this server can read",
                    "send 'Authorization: L402 <base64 macaroon>:<64 hex characters of the preimage>', or pay this new invoice");
            case UNKNOWN_TOKEN, UNKNOWN_ROOT_KEY, BAD_SIGNATURE -> new Refusal(402, "unknown_key",
                    "this server did not issue that token, or no longer honours it",
                    "use the macaroon this server sent with the invoice you paid, or pay this new invoice");
            case WRONG_PREIMAGE -> new Refusal(402, "wrong_preimage",
                    "the invoice was paid, but this is not its preimage",
                    "copy the preimage (payment proof) your wallet shows for this payment exactly; do not pay again");
            case UNPAID -> new Refusal(402, "unpaid", "the token's invoice has not been paid yet",
                    "pay the invoice that came with the macaroon first, or this new one");
            case OTHER_REQUEST, CAVEAT_FAILED -> new Refusal(402, "other_request",
                    "the token was bought for a different request (another photo or model_size)",
                    "send exactly the request you paid for with this credential, or pay this new invoice for this one");
            case EXPIRED -> new Refusal(402, "expired", "the token expired before it was used",
                    "pay this new invoice; a paid token can be redeemed until its colorize_valid_until caveat");
        };
    }
}
