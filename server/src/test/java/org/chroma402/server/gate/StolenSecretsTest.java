package org.chroma402.server.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.l402.MacaroonIdentifier;
import org.chroma402.l402.header.L402Challenge;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.l402.macaroon.MacaroonCodec;
import org.chroma402.l402.macaroon.MacaroonMinter;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Someone who could read the database (root-key secrets) re-mints a paid token with other
 * caveats. The challenge record the server stored decides, not the caveats: a token re-bound to
 * another photo, or given a longer life, buys nothing it was not sold for.
 */
class StolenSecretsTest {
    private static final byte[] PAID_PHOTO = TestResources.bytes("fixtures/inputs/buffalo.png");
    private static final byte[] OTHER_PHOTO = TestResources.bytes("fixtures/inputs/detroit.png");

    @TempDir
    Path dir;
    private TestServer server;
    private ApiClient api;

    @BeforeEach
    void start() {
        server = new TestServer(dir);
        api = new ApiClient(server.base);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Pays for {@code photo}; returns the issued macaroon and the preimage. */
    private Object[] buy(byte[] photo) throws Exception {
        HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", ApiClient.body(photo, "large"));
        L402Challenge l402 = ApiClient.challenge(challenge);
        return new Object[] {MacaroonCodec.decodeBase64(l402.macaroonBase64()), api.devPay(l402.invoice())};
    }

    /** The token re-minted with the stolen secret: same identifier, caveats of the thief's choosing. */
    private Macaroon reMint(Macaroon issued, String requestDigest, Instant validUntil) throws Exception {
        MacaroonIdentifier id = MacaroonIdentifier.decode(issued.identifier());
        RootKeyStore keys = server.server.parts().keys();
        byte[] secret = keys.secret(keys.currentKeyId()).orElseThrow();
        return MacaroonMinter.mint(RootKeys.derive(secret, id.tokenId()), TokenScope.LOCATION, issued.identifier(),
                ChallengeIssuer.caveats(requestDigest, validUntil));
    }

    @Test
    void aTokenReboundToAnotherPhotoIsRefused() throws Exception {
        Object[] bought = buy(PAID_PHOTO);
        Macaroon forged = reMint((Macaroon) bought[0], RequestBinding.digest("large", OTHER_PHOTO),
                Instant.now().plus(Duration.ofDays(365)));
        HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", ApiClient.body(OTHER_PHOTO, "large"),
                "Authorization", "L402 " + forged.toBase64() + ":" + bought[1]);
        assertThat(response.statusCode()).isEqualTo(402);
        assertThat(ApiClient.json(response).get("error_code").asText()).isEqualTo("other_request");
        // The honest credential still works for the photo it was sold for.
        HttpResponse<byte[]> honest = api.post("/api/l402/colorize-image", ApiClient.body(PAID_PHOTO, "large"),
                "Authorization", "L402 " + ((Macaroon) bought[0]).toBase64() + ":" + bought[1]);
        assertThat(honest.statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenGivenALongerLifeStillExpiresWhenTheServerSaidItWould() throws Exception {
        Object[] bought = buy(PAID_PHOTO);
        Macaroon forged = reMint((Macaroon) bought[0], RequestBinding.digest("large", PAID_PHOTO),
                Instant.now().plus(Duration.ofDays(365)));
        server.clock.advance(Duration.ofHours(2));
        HttpResponse<byte[]> response = api.post("/api/l402/colorize-image", ApiClient.body(PAID_PHOTO, "large"),
                "Authorization", "L402 " + forged.toBase64() + ":" + bought[1]);
        assertThat(response.statusCode()).isEqualTo(402);
        JsonNode body = ApiClient.json(response);
        assertThat(body.get("error_code").asText()).isEqualTo("expired");
    }

    @Test
    void paymentStatusGivesThePreimageOnlyForTheTokenAsIssued() throws Exception {
        HttpResponse<byte[]> challenge = api.post("/api/l402/colorize-image", ApiClient.body(PAID_PHOTO, "large"));
        L402Challenge l402 = ApiClient.challenge(challenge);
        api.devPay(l402.invoice());
        Macaroon issued = MacaroonCodec.decodeBase64(l402.macaroonBase64());
        JsonNode original = ApiClient.json(api.post("/api/l402/payment-status?wait=5",
                "{\"macaroon\": \"" + issued.toBase64() + "\"}"));
        assertThat(original.get("state").asText()).isEqualTo("paid");
        assertThat(original.has("preimage")).isTrue();
        Macaroon attenuated = issued.withFirstPartyCaveat("colorize_valid_until=" + Instant.now().plusSeconds(60)
                .getEpochSecond());
        JsonNode copy = ApiClient.json(api.post("/api/l402/payment-status?wait=5",
                "{\"macaroon\": \"" + attenuated.toBase64() + "\"}"));
        assertThat(copy.get("state").asText()).isEqualTo("paid");
        assertThat(copy.has("preimage")).isFalse();
        server.clock.advance(Duration.ofHours(2));
        JsonNode late = ApiClient.json(api.post("/api/l402/payment-status?wait=5",
                "{\"macaroon\": \"" + issued.toBase64() + "\"}"));
        assertThat(late.has("preimage")).isFalse();
    }
}
