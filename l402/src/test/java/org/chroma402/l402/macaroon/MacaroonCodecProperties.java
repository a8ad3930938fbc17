package org.chroma402.l402.macaroon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.chroma402.l402.RootKey;

/** Random round trips, and mutated bytes that must fail only with a typed error. */
class MacaroonCodecProperties {

    @Provide
    Arbitrary<Macaroon> macaroons() {
        Arbitrary<String> location = Arbitraries.strings().alpha().numeric().withChars(":/.-é").ofMaxLength(40);
        Arbitrary<byte[]> identifier = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(200);
        Arbitrary<List<String>> caveats = Arbitraries.strings().ofMinLength(1).ofMaxLength(300).list().ofMaxSize(6);
        Arbitrary<byte[]> rootKey = Arbitraries.bytes().array(byte[].class).ofSize(32);
        return Combinators.combine(location, identifier, caveats, rootKey)
                .as((loc, id, cavs, key) -> MacaroonMinter.mint(new RootKey(key), loc, id, cavs));
    }

    @Property(tries = 300)
    void encodingRoundTrips(@ForAll("macaroons") Macaroon macaroon) throws Exception {
        assertThat(MacaroonCodec.decode(macaroon.encode())).isEqualTo(macaroon);
        assertThat(MacaroonCodec.decodeBase64(macaroon.toBase64())).isEqualTo(macaroon);
    }

    @Property(tries = 300)
    void mintedMacaroonsVerifyAfterAttenuation(@ForAll @Size(32) byte[] key, @ForAll @Size(max = 100) byte[] id,
            @ForAll @Size(max = 4) List<@Size(min = 1, max = 50) String> added) {
        RootKey rootKey = new RootKey(key);
        Macaroon macaroon = MacaroonMinter.mint(rootKey, "lsat", id, List.of("services=colorize:0"));
        for (String caveat : added) {
            macaroon = macaroon.withFirstPartyCaveat(caveat);
        }
        assertThat(MacaroonVerifier.verifySignature(macaroon, rootKey)).isTrue();
    }

    @Property(tries = 1000)
    void mutatedBytesNeverCrash(@ForAll("macaroons") Macaroon macaroon, @ForAll @IntRange(min = 0, max = 10_000) int seed,
            @ForAll @IntRange(min = 1, max = 8) int mutations) {
        byte[] bytes = macaroon.encode();
        java.util.Random random = new java.util.Random(seed);
        List<byte[]> variants = new ArrayList<>();
        byte[] flipped = bytes.clone();
        for (int i = 0; i < mutations; i++) {
            flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
        }
        variants.add(flipped);
        variants.add(java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length)));
        byte[] extended = java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(4));
        variants.add(extended);
        for (byte[] variant : variants) {
            try {
                Macaroon decoded = MacaroonCodec.decode(variant);
                // A mutation that still parses must be a macaroon in its own right.
                assertThat(MacaroonCodec.decode(decoded.encode())).isEqualTo(decoded);
            } catch (MacaroonFormatException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Property(tries = 500)
    void arbitraryBytesNeverCrash(@ForAll @Size(max = 300) byte[] bytes) {
        try {
            MacaroonCodec.decode(bytes);
        } catch (MacaroonFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
