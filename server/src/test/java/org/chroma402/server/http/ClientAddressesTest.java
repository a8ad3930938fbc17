package org.chroma402.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAddressesTest {

    @ParameterizedTest(name = "{0} reads as {1}")
    @CsvSource(delimiter = '|', value = {
        "192.0.2.1|192.0.2.1",
        "192.0.2.1:4711|192.0.2.1",
        " 198.51.100.7 |198.51.100.7",
        "2001:db8::1|2001:db8::1",
        "2001:DB8:0:0:0:0:0:1|2001:db8::1",
        "[2001:db8::1]|2001:db8::1",
        "[2001:db8::1]:443|2001:db8::1",
        "0:0:0:0:0:0:0:1|::1",
        "[::1]:8080|::1",
        "::ffff:192.0.2.9|192.0.2.9",
        "2001:db8:0:0:1:0:0:1|2001:db8::1:0:0:1",
        "2001:db8::|2001:db8::",
    })
    void addressFormsAreReadAsOneCanonicalAddress(String given, String canonical) {
        assertThat(ClientAddresses.normalize(given)).contains(canonical);
    }

    @ParameterizedTest(name = "{0} is no address")
    @CsvSource(delimiter = '|', value = {"unknown", "example.com", "abc", "256.1.1.1", "1.2.3", "[1.2.3.4]", "fe80::1%eth0",
        "2001:db8::1:443:1:2:3:4:5", "[2001:db8::1]x", "_hidden"})
    void anythingElseIsNoAddressAndNeverLookedUp(String given) {
        assertThat(ClientAddresses.normalize(given)).isEqualTo(Optional.empty());
    }

    @ParameterizedTest(name = "{0} counts as {1}")
    @CsvSource(delimiter = '|', value = {
        "192.0.2.1|192.0.2.1",
        "2001:db8:0:7::1|2001:db8:0:7::/64",
        "2001:db8:0:7:ffff:ffff:ffff:ffff|2001:db8:0:7::/64",
        "[2001:db8:0:7:1234::5]:443|2001:db8:0:7::/64",
        "2001:db8:0:8::1|2001:db8:0:8::/64",
        "::1|0:0:0:0::/64",
        "::ffff:192.0.2.9|192.0.2.9",
    })
    void perAddressLimitsCountAnIpv6ClientByItsSlash64(String address, String key) {
        assertThat(ClientAddresses.group(address)).isEqualTo(key);
    }
}
