package org.chroma402.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When a stored credential's refusal allows paying again: only when the server said it can never
 * buy its request again. Anything that may yet be cured, or may mean a payment still counts, keeps it.
 */
class StoredCredentialRefusalTest {

    @ParameterizedTest(name = "{0} {1}, redeemed before: {2} -> pay again: {3}")
    @CsvSource(nullValues = "none", value = {
            // the result expired and was deleted
            "410, result_expired, true,  true",
            "410, none,           false, true",
            // the token can never buy anything again
            "402, expired,        false, true",
            "402, unknown_key,    true,  true",
            "402, other_request,  false, true",
            // the payment was made and may yet count: never pay twice for it
            "402, wrong_preimage, true,  false",
            "402, unpaid,         false, false",
            // a server that does not say why: spent only if it already gave the result once
            "402, none,           true,  true",
            "402, none,           false, false",
            // cured by retrying with the same credential
            "503, server_busy,    true,  false",
            "500, internal_error, false, false",
            "0,   none,           true,  false",
            "401, malformed,      true,  false",
    })
    void aStoredCredentialIsGivenUpOnlyWhenTheServerRefusedItForGood(int status, String code, boolean redeemed,
            boolean payAgain) {
        ClientException answer = new ClientException("refused", status, code, null, "L402 m:p");
        assertThat(answer.refusesCredentialForGood(redeemed)).isEqualTo(payAgain);
    }
}
