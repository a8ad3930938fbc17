package org.chroma402.server.gate;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.chroma402.l402.bolt11.Network;
import org.chroma402.l402.payment.ChallengeBinding;
import org.chroma402.l402.payment.ChargeRequest;
import org.chroma402.l402.payment.PaymentChallenge;

/**
 * An issued challenge as the HTTP {@code Payment} scheme's Lightning charge: the same invoice,
 * described by a {@code request}, and an {@code id} bound to the parameters with a key derived
 * from the token's root-key secret. Everything is computed from the stored challenge record, so
 * the server can rebuild the exact challenge it sent from a credential's echo, on any replica.
 */
final class PaymentCharges {
    /** The protection space: the same for every challenge, so the id depends on the record alone. */
    static final String REALM = TokenScope.LOCATION;

    private PaymentCharges() {
    }

    static PaymentChallenge of(ChallengeRecord record, byte[] secret) {
        String network = Network.ofInvoice(record.bolt11()).map(n -> n.name().toLowerCase(Locale.ROOT)).orElse(null);
        String request = ChargeRequest.sats(record.amountMsat() / 1000,
                "Chroma402: colorize one photo (" + record.model() + ")", record.bolt11(), record.paymentHash().hex(),
                network).encode();
        String expires = DateTimeFormatter.ISO_INSTANT.format(record.invoiceExpiresAt().truncatedTo(ChronoUnit.SECONDS));
        PaymentChallenge unbound = PaymentChallenge.charge("", REALM, request, expires);
        return unbound.withId(ChallengeBinding.id(RootKeys.paymentBinding(secret, record.tokenId()), unbound));
    }
}
