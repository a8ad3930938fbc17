package org.chroma402.server.api;

import java.util.Locale;

/**
 * Every {@code error_code} the API can answer, with its HTTP status, what it means and what to do
 * about it. {@code GET /api/error-codes} lists exactly these, so the published list cannot drift
 * from what the server says; an {@link ApiException} can only carry one of them.
 */
public enum ErrorCode {
    // Credentials: all but "malformed" come with a fresh 402 challenge, because paying cures them.
    PAYMENT_REQUIRED(402, "the request needs a payment: the answer carries a Lightning invoice and a macaroon",
            "pay the invoice, then send the same request again with 'Authorization: L402 <macaroon>:<preimage>'"),
    MALFORMED(401, "the Authorization (or x402 PAYMENT-SIGNATURE) header is not a credential this server can read",
            "send 'Authorization: L402 <base64 macaroon>:<64 hex characters of the preimage>' (or the Payment "
                    + "credential the challenge describes), or pay the new invoice"),
    UNKNOWN_KEY(402, "the token was not issued by this server, was forged, or its root key was retired",
            "use the macaroon this server sent with the invoice you paid, or pay the new invoice"),
    WRONG_PREIMAGE(402, "the token's invoice was paid, but the preimage sent is not the payment's",
            "copy the preimage (payment proof) your wallet shows for this payment exactly; do not pay again"),
    UNPAID(402, "the token's invoice has not been paid", "pay the invoice that came with the macaroon first"),
    OTHER_REQUEST(402, "the token was bought for a different request (another photo or model_size)",
            "send exactly the request you paid for with this credential, or pay the new invoice for this one"),
    EXPIRED(402, "the token's redemption window ended before it bought anything",
            "pay the new invoice; a paid token can be redeemed until its colorize_valid_until caveat"),

    // The request itself: never an invoice.
    INVALID_JSON(400, "the body is not a JSON object",
            "send Content-Type: application/json with a body like {\"image\": \"<base64>\", \"model_size\": \"large\"}"),
    MISSING_IMAGE(400, "the request has no image", "put the photo, base64-encoded, in the \"image\" field"),
    INVALID_BASE64(400, "the image field is not base64",
            "encode the file's bytes with standard base64 (a data:image/...;base64, prefix is fine)"),
    UNSUPPORTED_FORMAT(400, "the photo is in a format this server does not read", "convert the photo to JPEG or PNG"),
    INVALID_IMAGE(400, "the bytes are not a readable photo (not an image, or damaged)",
            "send a photo in PNG, JPEG, WebP, BMP, GIF or TIFF format, saved again if it is damaged"),
    IMAGE_TOO_COMPLEX(400, "the photo is encoded in a way that is too costly to decode (such as a JPEG with very many scans)",
            "save the photo again as an ordinary (baseline) JPEG or PNG"),
    IMAGE_TOO_LARGE(413, "the photo or the request is larger than this server accepts",
            "send a smaller file, or scale the photo down"),
    UNKNOWN_MODEL_SIZE(400, "model_size names a model this server does not offer",
            "use a model_size listed by GET /api/l402/models, or leave it out for \"large\""),
    INVALID_INPUT_SIZE(400, "input_size is not a render resolution this model can use",
            "leave input_size out, or use the model's input_size listed by GET /api/l402/models"),
    INVALID_SATURATION(400, "saturation is not a colour strength from 0 to 2 with at most two decimals",
            "leave saturation out for the model's own colours (1), or send a number such as 0.5 or 1.25"),
    UNSUPPORTED_MEDIA_TYPE(415, "the body of a request to /api/ is not JSON", "send the header 'Content-Type: application/json'"),
    INVALID_REQUEST(400, "the request is not one this endpoint understands", "see /api/openapi.json for the API"),
    NOT_FOUND(404, "no such endpoint", "see /api/openapi.json for the API"),
    METHOD_NOT_ALLOWED(405, "the endpoint does not take this HTTP method", "use the method named in the Allow header"),
    REQUEST_INCOMPLETE(408, "the request body did not arrive in time", "send the whole request at once"),

    // Load and dependencies: retry later; nobody was charged for an unpaid request.
    RATE_LIMITED(429, "too many payment requests from this address", "wait as long as Retry-After says"),
    TOO_MANY_JOBS(429, "this address has as many paid jobs and unredeemed invoices outstanding as the server allows one address",
            "redeem or finish the invoices you have, then ask again after Retry-After; you have not been charged"),
    QUEUE_FULL(503, "as many paid jobs are waiting as this server takes; a payment now would wait too long",
            "try again after Retry-After; you have not been charged"),
    SERVER_BUSY(503, "the server is colorizing as many photos as it can",
            "try again after Retry-After; you have not been charged"),
    LIGHTNING_UNAVAILABLE(503, "the server cannot create Lightning invoices right now",
            "try again after Retry-After; you have not been charged"),
    MODEL_UNAVAILABLE(503, "the requested model is not installed here, failed to load, or no inference server can run it now",
            "try again later, or a model_size that GET /api/l402/models lists as available"),
    STORAGE_UNAVAILABLE(503, "the server cannot store results right now (its object store is unreachable)",
            "try again after Retry-After; you have not been charged, and a paid request keeps its credential"),
    DATABASE_UNAVAILABLE(503, "the server's database is unavailable",
            "try again shortly; a paid request can be repeated with the same credential"),
    SHUTTING_DOWN(503, "this server is stopping", "send the request again in a moment; paid requests keep their credential"),

    // Paid work.
    COLORIZATION_FAILED(500, "the paid colorization failed",
            "send the same request with the same credential again: you will not be charged twice"),
    COLORIZATION_ABANDONED(500, "the paid colorization failed on every attempt the server allows and will not be tried again",
            "the photo is probably too large for this server: send it smaller as a new request; quote the "
                    + "payment_hash to the operator about this payment"),
    INTERNAL_ERROR(500, "the server failed unexpectedly",
            "try again; a paid request can be repeated with the same credential without paying again"),
    JOB_NOT_FOUND(404, "no job has this id", "check the poll URL you were given; job ids are exact"),
    RESULT_EXPIRED(410, "the result of this paid request has expired and was deleted",
            "results are kept for a limited time; to colorize the photo again, pay a new invoice"),
    RESULT_NOT_FOUND(404, "no result at this address (it may have expired)", "download results promptly"),

    // Payment helpers (payment-status, qr.svg, the development wallet).
    INVALID_MACAROON(400, "the macaroon given is not a valid macaroon", "send the macaroon from the 402 response"),
    UNKNOWN_TOKEN(404, "this server did not issue that macaroon", "ask for a new invoice"),
    INVALID_INVOICE(400, "the invoice given is missing, too long or not a BOLT11 invoice",
            "pass the invoice from the 402 response"),
    DEV_PAYMENTS_DISABLED(404, "development payments exist only with the development Lightning backend",
            "pay the invoice with a real Lightning wallet"),
    PAYMENT_FAILED(400, "the development wallet could not pay the invoice", "ask for a new invoice and pay that one");

    private final int status;
    private final String meaning;
    private final String suggestion;

    ErrorCode(int status, String meaning, String suggestion) {
        this.status = status;
        this.meaning = meaning;
        this.suggestion = suggestion;
    }

    /** The wire form: {@code wrong_preimage}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int status() {
        return status;
    }

    public String meaning() {
        return meaning;
    }

    /** What to do, in general; an answer may carry a more specific suggestion. */
    public String suggestion() {
        return suggestion;
    }
}
