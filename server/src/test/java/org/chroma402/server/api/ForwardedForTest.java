package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.http.ClientAddresses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which address a request is counted under, from the peer and {@code X-Forwarded-For}, in each form proxies write. */
class ForwardedForTest {
    private static final PublicUrls BEHIND_ONE_PROXY = new PublicUrls(
            new ServerConfig.Listening("127.0.0.1", 0, null, List.of(), true, 1, List.of()));
    private static final PublicUrls DIRECT = new PublicUrls(ServerConfig.Listening.direct("127.0.0.1", 0, List.of()));

    @ParameterizedTest(name = "X-Forwarded-For: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "203.0.113.5|203.0.113.5",
        "203.0.113.5:51234|203.0.113.5",
        "spoofed, 203.0.113.5:51234|203.0.113.5",
        "[2001:db8:1:2::99]:443|2001:db8:1:2::99",
        "1.1.1.1, [2001:db8:1:2::99]|2001:db8:1:2::99",
        "2001:DB8:1:2:0:0:0:99|2001:db8:1:2::99",
        "unknown|10.0.0.9",
        "evil.example|10.0.0.9",
    })
    void theTrustedEntryIsReadInAnyFormAndFallsBackToThePeer(String forwardedFor, String client) {
        assertThat(BEHIND_ONE_PROXY.clientAddress(forwardedFor, "10.0.0.9")).isEqualTo(client);
    }

    @ParameterizedTest(name = "X-Forwarded-For: {0} is ignored without trusted proxies")
    @CsvSource({"203.0.113.5", "[2001:db8::1]:443"})
    void withoutTrustedProxiesTheHeaderIsIgnored(String forwardedFor) {
        assertThat(DIRECT.clientAddress(forwardedFor, "10.0.0.9")).isEqualTo("10.0.0.9");
    }

    @ParameterizedTest(name = "{0} and {1} share one limit")
    @CsvSource(delimiter = '|', value = {
        "[2001:db8:1:2::99]:443|2001:db8:1:2:ffff::1",
        "2001:db8:1:2::1|[2001:db8:1:2:aaaa:bbbb:cccc:dddd]:80",
    })
    void twoAddressesOfOneIpv6Slash64AreOneClient(String first, String second) {
        assertThat(ClientAddresses.group(BEHIND_ONE_PROXY.clientAddress(first, "10.0.0.9")))
                .isEqualTo(ClientAddresses.group(BEHIND_ONE_PROXY.clientAddress(second, "10.0.0.9")));
        assertThat(ClientAddresses.group(BEHIND_ONE_PROXY.clientAddress("2001:db8:1:3::1", "10.0.0.9")))
                .isNotEqualTo(ClientAddresses.group(BEHIND_ONE_PROXY.clientAddress(first, "10.0.0.9")));
    }
}
