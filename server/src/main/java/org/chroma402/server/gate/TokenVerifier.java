package org.chroma402.server.gate;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.chroma402.l402.L402FormatException;
import org.chroma402.l402.MacaroonIdentifier;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.Preimage;
import org.chroma402.l402.caveat.CaveatException;
import org.chroma402.l402.caveat.CaveatVerifier;
import org.chroma402.l402.caveat.EqualsSatisfier;
import org.chroma402.l402.caveat.ServicesSatisfier;
import org.chroma402.l402.caveat.ValidUntilSatisfier;
import org.chroma402.l402.header.HeaderFormatException;
import org.chroma402.l402.header.L402Authorization;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.l402.macaroon.MacaroonCodec;
import org.chroma402.l402.macaroon.MacaroonVerifier;
import org.chroma402.l402.payment.ChargeRequest;
import org.chroma402.l402.payment.PaymentChallenge;
import org.chroma402.l402.payment.PaymentCredential;
import org.chroma402.l402.payment.PaymentFormatException;
import org.chroma402.server.config.ServerConfig;

/**
 * Decides what an {@code Authorization} header is worth for one request: parses it, traces the
 * token back to the challenge it came from, checks the macaroon's signature with the token's root
 * key, the preimage against the payment hash, the caveats (service, request binding, validity),
 * and then the same facts against the challenge record the server stored when it issued the
 * token, which wins: caveats can only narrow what the record says.
 *
 * <p>Two schemes carry the same facts: {@code L402 <macaroon>[,<macaroon>…]:<preimage>}, and the
 * HTTP {@code Payment} scheme's credential, whose echoed challenge leads to the same record (by
 * the echoed {@code macaroon}, or by the payment hash in the echoed {@code request}) and whose
 * {@code id} must be the one this server bound to that record.
 *
 * <p>Expiry is reported rather than refused ({@link RedeemResult.Granted#expired()}), because a
 * paid request that already produced a result must get that result again, however late.
 */
public final class TokenVerifier {
    private final ChallengeStore challenges;
    private final RootKeyStore keys;
    private final Clock clock;
    private final Predicate<PaymentHash> isPaid;
    private final ServerConfig.Payments schemes;
    private final X402Verifier x402;

    /**
     * @param isPaid whether an invoice has been paid, asked only to tell a wrong preimage (paid) from
     *     a guess (unpaid) for a token that is otherwise genuine; may throw, then "wrong preimage"
     * @param schemes which credential schemes are accepted; the others count as no credential
     */
    public TokenVerifier(ChallengeStore challenges, RootKeyStore keys, Clock clock, Predicate<PaymentHash> isPaid,
            ServerConfig.Payments schemes) {
        this.challenges = challenges;
        this.keys = keys;
        this.clock = clock;
        this.isPaid = isPaid;
        this.schemes = schemes;
        this.x402 = new X402Verifier(challenges, clock, isPaid);
    }

    /**
     * What an x402 {@code PAYMENT-SIGNATURE} header buys for the request: see {@link X402Verifier}.
     * Throws {@link org.chroma402.lightning.LightningException} when the node cannot say whether the
     * invoice was paid.
     */
    public RedeemResult verifyX402(String paymentSignature, String requestDigest) {
        if (paymentSignature == null || paymentSignature.isBlank() || !schemes.x402()) {
            return reject(RedeemResult.RejectReason.NO_CREDENTIAL, "no x402 payment accepted here");
        }
        return x402.verify(paymentSignature, requestDigest);
    }

    public RedeemResult verify(String authorization, String requestDigest) {
        if (authorization == null || authorization.isBlank()) {
            return reject(RedeemResult.RejectReason.NO_CREDENTIAL, "no Authorization header");
        }
        if (PaymentCredential.isPaymentScheme(authorization)) {
            return schemes.paymentScheme() ? verifyPayment(authorization, requestDigest)
                    : reject(RedeemResult.RejectReason.NO_CREDENTIAL, "the Payment scheme is not accepted here");
        }
        if (!isL402Scheme(authorization) || !schemes.l402()) {
            // Basic, Bearer...: credentials for something else (a proxy in front), not a bad L402 one.
            return reject(RedeemResult.RejectReason.NO_CREDENTIAL, "not an L402 credential");
        }
        L402Authorization credential;
        try {
            credential = L402Authorization.parse(authorization);
        } catch (HeaderFormatException e) {
            return reject(RedeemResult.RejectReason.MALFORMED_CREDENTIAL, e.getMessage());
        }
        // Several tokens may come comma-separated (the 2026 specification): the first one this server
        // issued is the one that buys; if none is, the first one's refusal says why.
        Traced first = null;
        for (Macaroon macaroon : credential.macaroons()) {
            Traced traced = trace(macaroon);
            if (traced.refusal() == null) {
                return judge(macaroon, credential.preimage(), traced.challenge(), requestDigest, null);
            }
            first = first == null ? traced : first;
        }
        return first.refusal();
    }

    /** A {@code Payment} credential: echo → record → bound id → the same judgement as L402. */
    private RedeemResult verifyPayment(String authorization, String requestDigest) {
        PaymentCredential credential;
        try {
            credential = PaymentCredential.parse(authorization);
        } catch (PaymentFormatException e) {
            return reject(RedeemResult.RejectReason.MALFORMED_CREDENTIAL, e.getMessage());
        }
        if (!credential.echoed("method").orElse(PaymentChallenge.METHOD_LIGHTNING).equals(PaymentChallenge.METHOD_LIGHTNING)
                || !credential.echoed("intent").orElse(PaymentChallenge.INTENT_CHARGE).equals(PaymentChallenge.INTENT_CHARGE)) {
            return reject(RedeemResult.RejectReason.MALFORMED_CREDENTIAL, "only method=lightning, intent=charge is offered");
        }
        Optional<Preimage> preimage = credential.preimage().flatMap(Preimage::tryFromHex);
        if (preimage.isEmpty()) {
            return reject(RedeemResult.RejectReason.MALFORMED_CREDENTIAL, "payload.preimage must be 64 hex characters");
        }
        Macaroon macaroon = null;
        ChallengeRecord challenge;
        Optional<String> echoedMacaroon = credential.echoed("macaroon");
        if (echoedMacaroon.isPresent()) {
            try {
                macaroon = MacaroonCodec.decodeBase64(echoedMacaroon.get());
            } catch (L402FormatException e) {
                return reject(RedeemResult.RejectReason.MALFORMED_CREDENTIAL, "challenge.macaroon: " + e.getMessage());
            }
            Traced traced = trace(macaroon);
            if (traced.refusal() != null) {
                return traced.refusal();
            }
            challenge = traced.challenge();
        } else {
            Optional<String> request = credential.echoed("request");
            if (request.isEmpty()) {
                return reject(RedeemResult.RejectReason.MALFORMED_CREDENTIAL, "the credential must echo the challenge's request");
            }
            Optional<PaymentHash> hash;
            try {
                hash = Optional.ofNullable(ChargeRequest.decode(request.get()).paymentHash()).flatMap(PaymentHash::tryFromHex);
            } catch (PaymentFormatException e) {
                return reject(RedeemResult.RejectReason.MALFORMED_CREDENTIAL, "challenge.request: " + e.getMessage());
            }
            Optional<ChallengeRecord> found = hash.flatMap(challenges::findByPaymentHash);
            if (found.isEmpty()) {
                return reject(RedeemResult.RejectReason.UNKNOWN_TOKEN, "this server did not issue the challenge");
            }
            challenge = found.get();
        }
        byte[] secret = keys.secret(challenge.keyId()).orElse(null);
        if (secret == null) {
            return reject(RedeemResult.RejectReason.UNKNOWN_ROOT_KEY, "the challenge's root key was retired");
        }
        if (macaroon == null) {
            // Only the request was echoed: the token is the one minted for that challenge.
            macaroon = ChallengeIssuer.asIssued(challenge, secret);
        }
        PaymentChallenge issued = PaymentCharges.of(challenge, secret);
        String boundId = issued.id();
        if (!java.security.MessageDigest.isEqual(boundId.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                credential.challengeId().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return reject(RedeemResult.RejectReason.BAD_SIGNATURE, "the challenge id was not issued for this payment");
        }
        // The id binds the parameters we issued; what the client echoed must be those parameters,
        // or it could quote another amount, realm or expiry beside a genuine id. The public API's
        // short form echoes the id and the macaroon only, which is fine: nothing else to compare.
        Map<String, String> ours = issued.parameters();
        for (Map.Entry<String, String> echoed : credential.challenge().entrySet()) {
            if (!echoed.getKey().equals("macaroon") && !echoed.getValue().equals(ours.get(echoed.getKey()))) {
                return reject(RedeemResult.RejectReason.BAD_SIGNATURE,
                        "the credential's challenge." + echoed.getKey() + " is not the one this server issued");
            }
        }
        return judge(macaroon, preimage.get(), challenge, requestDigest, boundId);
    }

    /** Preimage, caveats and the stored record, for a token already traced to its challenge. */
    private RedeemResult judge(Macaroon macaroon, Preimage preimage, ChallengeRecord challenge, String requestDigest,
            String paymentChallengeId) {
        if (!preimage.matches(challenge.paymentHash())) {
            return paid(challenge.paymentHash())
                    ? reject(RedeemResult.RejectReason.WRONG_PREIMAGE, "the preimage does not match the payment hash")
                    : reject(RedeemResult.RejectReason.UNPAID, "the invoice has not been paid");
        }
        List<String> caveats = macaroon.firstPartyCaveats();
        try {
            // Everything but expiry, judged as of when the token was issued.
            Clock atIssue = Clock.fixed(challenge.createdAt(), ZoneOffset.UTC);
            CaveatVerifier.verify(caveats, List.of(new ServicesSatisfier(TokenScope.SERVICE),
                    new ValidUntilSatisfier(TokenScope.SERVICE, atIssue, true),
                    new EqualsSatisfier(RequestBinding.CAVEAT, requestDigest, true)));
        } catch (CaveatException e) {
            RedeemResult.RejectReason reason = e.condition().filter(RequestBinding.CAVEAT::equals).isPresent()
                    ? RedeemResult.RejectReason.OTHER_REQUEST : RedeemResult.RejectReason.CAVEAT_FAILED;
            return reject(reason, e.getMessage());
        }
        // The stored record is authoritative: a token re-minted by someone who read the root-key
        // secrets must still match what this server issued (request, and therefore model; expiry).
        if (!challenge.requestDigest().equals(requestDigest)) {
            return reject(RedeemResult.RejectReason.OTHER_REQUEST, "the token was issued for another request");
        }
        boolean expired = clock.instant().getEpochSecond() > challenge.tokenExpiresAt().getEpochSecond();
        try {
            CaveatVerifier.verify(caveats, List.of(new ValidUntilSatisfier(TokenScope.SERVICE, clock, true)));
        } catch (CaveatException e) {
            expired = true;
        }
        return new RedeemResult.Granted(challenge, expired, paymentChallengeId);
    }

    private boolean paid(PaymentHash hash) {
        try {
            return isPaid.test(hash);
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static boolean isL402Scheme(String authorization) {
        String value = authorization.stripLeading();
        return value.regionMatches(true, 0, "L402", 0, 4) || value.regionMatches(true, 0, "LSAT", 0, 4);
    }

    /** The challenge a macaroon was minted for, if this server minted it and its signature checks out. */
    public Optional<ChallengeRecord> challengeOf(Macaroon macaroon) {
        return Optional.ofNullable(trace(macaroon).challenge());
    }

    /** A token traced to its challenge, or why it cannot be: exactly one of the two is set. */
    private record Traced(ChallengeRecord challenge, RedeemResult.PaymentRequired refusal) {
    }

    /** Identifier → issued challenge → active root key → signature. */
    private Traced trace(Macaroon macaroon) {
        MacaroonIdentifier identifier;
        try {
            identifier = MacaroonIdentifier.decode(macaroon.identifier());
        } catch (L402FormatException e) {
            return new Traced(null, reject(RedeemResult.RejectReason.UNKNOWN_TOKEN, e.getMessage()));
        }
        Optional<ChallengeRecord> found = challenges.find(identifier.tokenId())
                .filter(c -> c.paymentHash().equals(identifier.paymentHash()));
        if (found.isEmpty()) {
            return new Traced(null, reject(RedeemResult.RejectReason.UNKNOWN_TOKEN, "this server did not issue the token"));
        }
        Optional<byte[]> secret = keys.secret(found.get().keyId());
        if (secret.isEmpty()) {
            return new Traced(null, reject(RedeemResult.RejectReason.UNKNOWN_ROOT_KEY, "the token's root key was retired"));
        }
        if (!MacaroonVerifier.verifySignature(macaroon, RootKeys.derive(secret.get(), identifier.tokenId()))) {
            return new Traced(null, reject(RedeemResult.RejectReason.BAD_SIGNATURE, "the macaroon's signature does not verify"));
        }
        return new Traced(found.get(), null);
    }

    private static RedeemResult.PaymentRequired reject(RedeemResult.RejectReason reason, String detail) {
        return new RedeemResult.PaymentRequired(reason, detail);
    }
}
