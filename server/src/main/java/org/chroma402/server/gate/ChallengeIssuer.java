package org.chroma402.server.gate;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.chroma402.l402.MacaroonIdentifier;
import org.chroma402.l402.TokenId;
import org.chroma402.l402.caveat.ServicesSatisfier;
import org.chroma402.l402.caveat.ValidUntilSatisfier;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.l402.macaroon.MacaroonMinter;
import org.chroma402.lightning.CreatedInvoice;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.server.metrics.StageClock;

/**
 * Issues 402 challenges: an invoice for the model's price, and a macaroon whose identifier
 * carries the invoice's payment hash and whose caveats bind it to this service, to one exact
 * request and to a validity that follows the invoice's expiry.
 *
 * <p>Throws {@link org.chroma402.lightning.LightningException} when the backend cannot make an
 * invoice, before anything is stored: a client never gets a challenge it cannot pay.
 */
public final class ChallengeIssuer {
    private final InvoiceBackend backend;
    private final RootKeyStore keys;
    private final ChallengeStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration invoiceExpiry;
    private final Duration redeemWindow;
    private final StageClock.Sink stages;

    /** @param stages told how long each challenge's invoice and database insert took */
    public ChallengeIssuer(InvoiceBackend backend, RootKeyStore keys, ChallengeStore store, Clock clock,
            SecureRandom random, Duration invoiceExpiry, Duration redeemWindow, StageClock.Sink stages) {
        this.stages = stages;
        this.backend = backend;
        this.keys = keys;
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.invoiceExpiry = invoiceExpiry;
        this.redeemWindow = redeemWindow;
    }

    /** The caveats a token is minted with: this service, valid until, bound to one request. */
    static List<String> caveats(String requestDigest, Instant tokenExpiresAt) {
        return List.of(ServicesSatisfier.caveat(TokenScope.SERVICE, 0).format(),
                ValidUntilSatisfier.caveat(TokenScope.SERVICE, tokenExpiresAt).format(),
                RequestBinding.CAVEAT + "=" + requestDigest);
    }

    /** The macaroon exactly as it was minted for a challenge, rebuilt from the record and the key's secret. */
    static Macaroon asIssued(ChallengeRecord challenge, byte[] secret) {
        return MacaroonMinter.mint(RootKeys.derive(secret, challenge.tokenId()), TokenScope.LOCATION,
                MacaroonIdentifier.of(challenge.paymentHash(), challenge.tokenId()).encode(),
                caveats(challenge.requestDigest(), challenge.tokenExpiresAt()));
    }

    /** Whether a macaroon of this challenge carries exactly the caveats it was minted with (not an attenuated copy). */
    public static boolean isAsIssued(Macaroon macaroon, ChallengeRecord challenge) {
        return macaroon.firstPartyCaveats().equals(caveats(challenge.requestDigest(), challenge.tokenExpiresAt()));
    }

    /** A challenge for one render of {@code model} at {@code inputSize} (null: the model's own). */
    public IssuedChallenge issue(String model, Integer inputSize, String requestDigest, long amountMsat) {
        StageClock laps = new StageClock();
        CreatedInvoice invoice = backend.createInvoice(InvoiceRequest.withMemo(amountMsat,
                "Chroma402: colorize one photo (" + model + ")", invoiceExpiry));
        laps.lap("invoice");
        TokenId tokenId = TokenId.random(random);
        String keyId = keys.currentKeyId();
        byte[] secret = keys.secret(keyId).orElseThrow(() -> new IllegalStateException("current root key vanished"));
        Instant tokenExpiresAt = invoice.expiresAt().plus(redeemWindow);
        ChallengeRecord record = new ChallengeRecord(tokenId, invoice.paymentHash(), keyId, requestDigest, model,
                amountMsat, invoice.bolt11(), clock.instant(), invoice.expiresAt(), tokenExpiresAt, inputSize);
        // Minted from the record, as the Payment scheme's credentials rebuild it: one way to make a token.
        Macaroon macaroon = asIssued(record, secret);
        org.chroma402.l402.payment.PaymentChallenge payment = PaymentCharges.of(record, secret);
        laps.lap("token");
        store.insert(record);
        laps.lap("database");
        laps.report(stages);
        return new IssuedChallenge(macaroon, invoice.bolt11(), invoice.paymentHash(), model, amountMsat,
                invoice.expiresAt(), tokenExpiresAt, payment);
    }
}
