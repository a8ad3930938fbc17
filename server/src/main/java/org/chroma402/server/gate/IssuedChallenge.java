package org.chroma402.server.gate;

import java.time.Instant;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.l402.payment.PaymentChallenge;

/**
 * A fresh challenge to send with a 402: the macaroon, the invoice and what they cost, and the same
 * invoice as a {@code Payment}-scheme charge.
 */
public record IssuedChallenge(Macaroon macaroon, String invoice, PaymentHash paymentHash, String model,
        long amountMsat, Instant invoiceExpiresAt, Instant tokenExpiresAt, PaymentChallenge payment) {

    public L402Challenge header() {
        return L402Challenge.of(macaroon, invoice);
    }
}
