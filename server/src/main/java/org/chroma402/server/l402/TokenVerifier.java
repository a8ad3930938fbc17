package org.chroma402.server.l402;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.chroma402.l402.L402FormatException;
import org.chroma402.l402.MacaroonIdentifier;
import org.chroma402.l402.RootKey;
import org.chroma402.l402.caveat.CaveatException;
import org.chroma402.l402.caveat.CaveatVerifier;
import org.chroma402.l402.caveat.EqualsSatisfier;
import org.chroma402.l402.caveat.ServicesSatisfier;
import org.chroma402.l402.caveat.ValidUntilSatisfier;
import org.chroma402.l402.header.HeaderFormatException;
import org.chroma402.l402.header.L402Authorization;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.l402.macaroon.MacaroonVerifier;
import org.chroma402.server.ServerConfig;

/**
 * Decides what an {@code Authorization} header is worth for one request: parses it, finds the
 * challenge its token came from, checks the macaroon's signature with the token's root key, the
 * preimage against the payment hash, and the caveats (service, request binding, validity).
 *
 * <p>Expiry is reported rather than refused ({@link RedeemResult.Granted#expired()}), because a
 * paid request that already produced a result must get that result again, however late.
 */
public final class TokenVerifier {
    private final ChallengeStore challenges;
    private final RootKeyStore keys;
    private final Clock clock;

    public TokenVerifier(ChallengeStore challenges, RootKeyStore keys, Clock clock) {
        this.challenges = challenges;
        this.keys = keys;
        this.clock = clock;
    }

    public RedeemResult verify(String authorization, String requestDigest) {
        if (authorization == null || authorization.isBlank()) {
            return reject(RedeemResult.RejectReason.NO_CREDENTIAL, "no Authorization header");
        }
        L402Authorization credential;
        try {
            credential = L402Authorization.parse(authorization);
        } catch (HeaderFormatException e) {
            return reject(RedeemResult.RejectReason.MALFORMED_CREDENTIAL, e.getMessage());
        }
        Macaroon macaroon = credential.macaroon();
        MacaroonIdentifier identifier;
        try {
            identifier = MacaroonIdentifier.decode(macaroon.identifier());
        } catch (L402FormatException e) {
            return reject(RedeemResult.RejectReason.UNKNOWN_TOKEN, e.getMessage());
        }
        Optional<ChallengeRecord> found = challenges.find(identifier.tokenId());
        if (found.isEmpty() || !found.get().paymentHash().equals(identifier.paymentHash())) {
            return reject(RedeemResult.RejectReason.UNKNOWN_TOKEN, "this server did not issue the token");
        }
        ChallengeRecord challenge = found.get();
        Optional<byte[]> secret = keys.secret(challenge.keyId());
        if (secret.isEmpty()) {
            return reject(RedeemResult.RejectReason.UNKNOWN_ROOT_KEY, "the token's root key was retired");
        }
        RootKey rootKey = RootKeys.derive(secret.get(), identifier.tokenId());
        if (!MacaroonVerifier.verifySignature(macaroon, rootKey)) {
            return reject(RedeemResult.RejectReason.BAD_SIGNATURE, "the macaroon's signature does not verify");
        }
        if (!credential.preimage().matches(identifier.paymentHash())) {
            return reject(RedeemResult.RejectReason.WRONG_PREIMAGE, "the preimage does not match the payment hash");
        }
        List<String> caveats = macaroon.firstPartyCaveats();
        try {
            // Everything but expiry, judged as of when the token was issued.
            Clock atIssue = Clock.fixed(challenge.createdAt(), ZoneOffset.UTC);
            CaveatVerifier.verify(caveats, List.of(new ServicesSatisfier(ServerConfig.SERVICE),
                    new ValidUntilSatisfier(ServerConfig.SERVICE, atIssue, true),
                    new EqualsSatisfier(RequestBinding.CAVEAT, requestDigest, true)));
        } catch (CaveatException e) {
            RedeemResult.RejectReason reason = e.getMessage().contains(RequestBinding.CAVEAT)
                    ? RedeemResult.RejectReason.OTHER_REQUEST : RedeemResult.RejectReason.CAVEAT_FAILED;
            return reject(reason, e.getMessage());
        }
        boolean expired;
        try {
            CaveatVerifier.verify(caveats, List.of(new ValidUntilSatisfier(ServerConfig.SERVICE, clock, true)));
            expired = false;
        } catch (CaveatException e) {
            expired = true;
        }
        return new RedeemResult.Granted(challenge, expired);
    }

    /**
     * The challenge a macaroon was minted for, if this server minted it and its signature checks
     * out: proof of holding the token, without a preimage (used by the web page to learn that a
     * phone wallet paid).
     */
    public Optional<ChallengeRecord> challengeOf(Macaroon macaroon) {
        MacaroonIdentifier identifier;
        try {
            identifier = MacaroonIdentifier.decode(macaroon.identifier());
        } catch (L402FormatException e) {
            return Optional.empty();
        }
        Optional<ChallengeRecord> challenge = challenges.find(identifier.tokenId())
                .filter(c -> c.paymentHash().equals(identifier.paymentHash()));
        if (challenge.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> secret = keys.secret(challenge.get().keyId());
        if (secret.isEmpty() || !MacaroonVerifier.verifySignature(macaroon, RootKeys.derive(secret.get(), identifier.tokenId()))) {
            return Optional.empty();
        }
        return challenge;
    }

    private static RedeemResult reject(RedeemResult.RejectReason reason, String detail) {
        return new RedeemResult.PaymentRequired(reason, detail);
    }
}
