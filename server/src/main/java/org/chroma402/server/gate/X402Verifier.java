package org.chroma402.server.gate;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Predicate;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.bolt11.Bolt11Invoice;
import org.chroma402.l402.bolt11.InvoiceFormatException;
import org.chroma402.l402.x402.LightningRequirement;
import org.chroma402.l402.x402.PaymentSignature;
import org.chroma402.l402.x402.X402FormatException;

/**
 * Judges an x402 {@code PAYMENT-SIGNATURE} paying over Lightning. It carries no preimage, only the
 * invoice: the invoice must be one this server issued (found by its payment hash in the challenge
 * store, and equal to what was stored), for this very request (its digest), offered as the client
 * says (amount, network), and paid, which the server's own node tells. The same record then buys
 * the same job as an L402 token would: one payment, one request, replays get the same result.
 *
 * <p>Asking the node may throw {@link org.chroma402.lightning.LightningException}: without an
 * answer nothing is granted, and no fresh challenge is due either (the client may well have paid),
 * so the caller turns it into a "try again".
 */
final class X402Verifier {
    private final ChallengeStore challenges;
    private final Clock clock;
    private final Predicate<PaymentHash> isPaid;

    /** @param isPaid whether an invoice has been paid, asked of the node; may throw */
    X402Verifier(ChallengeStore challenges, Clock clock, Predicate<PaymentHash> isPaid) {
        this.challenges = challenges;
        this.clock = clock;
        this.isPaid = isPaid;
    }

    RedeemResult verify(String paymentSignature, String requestDigest) {
        PaymentSignature signature;
        try {
            signature = PaymentSignature.parse(paymentSignature);
        } catch (X402FormatException e) {
            return reject(RedeemResult.RejectReason.MALFORMED_CREDENTIAL, e.getMessage());
        }
        LightningRequirement accepted = signature.accepted();
        if (!LightningRequirement.SCHEME_EXACT.equals(accepted.scheme())) {
            return reject(RedeemResult.RejectReason.MALFORMED_CREDENTIAL, "only the exact scheme is offered");
        }
        Bolt11Invoice invoice;
        try {
            invoice = Bolt11Decoder.decodeUnverified(signature.invoice());
        } catch (InvoiceFormatException e) {
            return reject(RedeemResult.RejectReason.MALFORMED_CREDENTIAL, "payload.invoice: " + e.getMessage());
        }
        Optional<ChallengeRecord> found = challenges.findByPaymentHash(invoice.paymentHash())
                .filter(c -> c.bolt11().equalsIgnoreCase(signature.invoice()));
        if (found.isEmpty()) {
            return reject(RedeemResult.RejectReason.UNKNOWN_TOKEN, "this server did not issue the invoice");
        }
        ChallengeRecord challenge = found.get();
        if (accepted.amountMsat() != challenge.amountMsat()
                || !accepted.network().equals(LightningRequirement.caip2(invoice.network()))) {
            return reject(RedeemResult.RejectReason.BAD_SIGNATURE, "accepted is not the offer this server made for the invoice");
        }
        if (!challenge.requestDigest().equals(requestDigest)) {
            return reject(RedeemResult.RejectReason.OTHER_REQUEST, "the invoice was issued for another request");
        }
        if (!isPaid.test(challenge.paymentHash())) {
            return reject(RedeemResult.RejectReason.UNPAID, "the invoice has not been paid");
        }
        boolean expired = clock.instant().getEpochSecond() > challenge.tokenExpiresAt().getEpochSecond();
        return new RedeemResult.Granted(challenge, expired);
    }

    private static RedeemResult.PaymentRequired reject(RedeemResult.RejectReason reason, String detail) {
        return new RedeemResult.PaymentRequired(reason, detail);
    }
}
