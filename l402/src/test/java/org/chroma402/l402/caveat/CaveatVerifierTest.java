package org.chroma402.l402.caveat;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Caveat rules as named table cases: the narrowing rule, unknown caveats, and each satisfier. */
class CaveatVerifierTest {
    private static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(1_000), ZoneOffset.UTC);
    private static final List<CaveatSatisfier> SATISFIERS = List.of(
            new ServicesSatisfier("colorize"),
            new CapabilitiesSatisfier("colorize", "large"),
            new ValidUntilSatisfier("colorize", NOW, true),
            new EqualsSatisfier("colorize_request", "abc", true));
    private static final List<String> BASE =
            List.of("services=colorize:0", "colorize_valid_until=2000", "colorize_request=abc");

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("the minted caveats hold", BASE),
                Arguments.of("unknown caveats are skipped", plus("client_note=hello", "x=")),
                Arguments.of("an earlier expiry narrows", plus("colorize_valid_until=1500")),
                Arguments.of("dropping services narrows", List.of("services=colorize:0,other:1",
                        "colorize_valid_until=2000", "colorize_request=abc", "services=colorize:0")),
                Arguments.of("repeating the request binding is fine", plus("colorize_request=abc")),
                Arguments.of("capabilities that include the one used", plus("colorize_capabilities=large,tiny")),
                Arguments.of("the exact expiry second is still valid", plus("colorize_valid_until=1000")));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("an expired token", plus("colorize_valid_until=999"), "expired"),
                Arguments.of("a later caveat extending validity", plus("colorize_valid_until=3000"), "extends"),
                Arguments.of("a token for another service", List.of("services=other:0",
                        "colorize_valid_until=2000", "colorize_request=abc"), "not valid for service colorize"),
                Arguments.of("a services caveat adding a service", plus("services=colorize:0,other:0"), "adds service"),
                Arguments.of("a services caveat changing the tier", plus("services=colorize:1"), "tier"),
                Arguments.of("a token bound to another request", List.of("services=colorize:0",
                        "colorize_valid_until=2000", "colorize_request=def"), "does not match"),
                Arguments.of("rebinding to another request by attenuation", plus("colorize_request=def"), "changes"),
                Arguments.of("a missing request binding", List.of("services=colorize:0", "colorize_valid_until=2000"),
                        "colorize_request is missing"),
                Arguments.of("a missing services caveat", List.of("colorize_valid_until=2000", "colorize_request=abc"),
                        "services is missing"),
                Arguments.of("a capability removed", plus("colorize_capabilities=tiny"), "lacks capability large"),
                Arguments.of("capabilities widened", List.of("services=colorize:0", "colorize_valid_until=2000",
                        "colorize_request=abc", "colorize_capabilities=large", "colorize_capabilities=large,tiny"),
                        "adds capability"),
                Arguments.of("a malformed caveat", plus("no equals sign"), "condition=value"),
                Arguments.of("a malformed expiry", plus("colorize_valid_until=soon"), "not a number"),
                Arguments.of("a malformed services value", List.of("services=colorize",
                        "colorize_valid_until=2000", "colorize_request=abc"), "name:tier"));
    }

    @ParameterizedTest(name = "accepts {0}")
    @MethodSource("accepted")
    void accepts(String name, List<String> caveats) {
        assertThatCode(() -> CaveatVerifier.verify(caveats, SATISFIERS)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "refuses {0}")
    @MethodSource("refused")
    void refuses(String name, List<String> caveats, String message) {
        assertThatThrownBy(() -> CaveatVerifier.verify(caveats, SATISFIERS))
                .isInstanceOf(CaveatException.class).hasMessageContaining(message);
    }

    @org.junit.jupiter.api.Test
    void namesTheConditionThatFailedSoCallersNeedNotReadTheMessage() {
        assertThatThrownBy(() -> CaveatVerifier.verify(plus("colorize_request=other"), SATISFIERS))
                .isInstanceOfSatisfying(CaveatException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.condition()).contains("colorize_request"));
        assertThatThrownBy(() -> CaveatVerifier.verify(List.of("services=colorize:0", "colorize_valid_until=2000"),
                SATISFIERS)).isInstanceOfSatisfying(CaveatException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.condition()).contains("colorize_request"));
        assertThatThrownBy(() -> CaveatVerifier.verify(plus("no equals sign"), SATISFIERS))
                .isInstanceOfSatisfying(CaveatException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.condition()).isEmpty());
    }

    private static List<String> plus(String... more) {
        return Stream.concat(BASE.stream(), Stream.of(more)).toList();
    }
}
