package org.chroma402.l402.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.chroma402.l402.Preimage;
import org.chroma402.l402.RootKey;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.l402.macaroon.MacaroonMinter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Credentials as an attacker writes them: each is refused with a {@link HeaderFormatException}
 * (never another exception), and the parser is linear in the header's length.
 */
class L402AuthorizationHostileTest {
    private static final String PREIMAGE = "ab".repeat(32);
    private static final String MACAROON = MacaroonMinter.mint(new RootKey(new byte[32]), "x", new byte[] {1, 2, 3},
            java.util.List.of("a=b")).toBase64();

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("spaces after the scheme (once a backtracking regex)", "L402" + " ".repeat(7900) + "x"),
                Arguments.of("only commas for macaroons", "L402 ,,,:" + PREIMAGE),
                Arguments.of("a trailing empty macaroon", "L402 " + MACAROON + ",:" + PREIMAGE),
                Arguments.of("a leading empty macaroon", "L402 ," + MACAROON + ":" + PREIMAGE),
                Arguments.of("no colon", "L402 " + MACAROON + PREIMAGE),
                Arguments.of("nothing after the scheme", "L402"),
                Arguments.of("another scheme", "Bearer " + MACAROON + ":" + PREIMAGE),
                Arguments.of("a short preimage", "L402 " + MACAROON + ":abc"),
                Arguments.of("a non-ASCII digit in the preimage", "L402 " + MACAROON + ":" + "\u0661".repeat(64)),
                Arguments.of("padding only", "L402 " + "=".repeat(8000) + ":" + PREIMAGE),
                Arguments.of("too many macaroons", "L402 " + (MACAROON + ",").repeat(9) + MACAROON + ":" + PREIMAGE),
                Arguments.of("a macaroon that is not base64", "L402 !!!!:" + PREIMAGE),
                Arguments.of("many colons", "L402 " + ":".repeat(8000)),
                Arguments.of("an over-long header", "L402 " + "A".repeat(300_000) + ":" + PREIMAGE));
    }

    @ParameterizedTest(name = "refuses {0}")
    @MethodSource("hostile")
    void refusesWithATypedError(String name, String header) {
        assertThatThrownBy(() -> L402Authorization.parse(header)).isInstanceOf(HeaderFormatException.class);
    }

    @ParameterizedTest(name = "stays linear: {0}")
    @MethodSource("hostile")
    void costsLittleEvenRepeated(String name, String header) {
        // 200 parses of the worst headers: the old pattern took ~1.5 s for one of them.
        for (int i = 0; i < 200; i++) {
            L402Authorization.tryParse(header);
        }
        assertThat(L402Authorization.tryParse(header)).isEmpty();
    }

    @Property(tries = 2000)
    void anyMutationOfAValidCredentialParsesOrIsRefusedCleanly(@ForAll("mutated") String header) {
        try {
            L402Authorization parsed = L402Authorization.parse(header);
            assertThat(parsed.macaroons()).isNotEmpty();
        } catch (HeaderFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> mutated() {
        String valid = L402Authorization.of(Macaroon.class.cast(MacaroonMinter.mint(new RootKey(new byte[32]), "x",
                new byte[] {1, 2, 3}, java.util.List.of("a=b"))), Preimage.fromHex(PREIMAGE)).format();
        Arbitrary<Integer> position = Arbitraries.integers().between(0, valid.length() - 1);
        Arbitrary<Character> junk = Arbitraries.of(' ', ',', ':', '=', '\t', 'x', '/', '+', '-', '_', '\u0000', '\u00e9');
        return Arbitraries.oneOf(
                position.flatMap(p -> junk.map(c -> valid.substring(0, p) + c + valid.substring(p))),
                position.map(p -> valid.substring(0, p)),
                position.flatMap(p -> junk.map(c -> valid.substring(0, p) + c + valid.substring(p + 1))),
                Arbitraries.strings().ofMaxLength(200).map(s -> "L402 " + s));
    }
}
