package org.chroma402.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class ServerAddressTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "127.0.0.1:18402,                  http://127.0.0.1:18402",
            "localhost:8402,                   http://localhost:8402",
            "colorize.example.com,             http://colorize.example.com",
            "[::1]:8402,                       http://[::1]:8402",
            "http://127.0.0.1:8402,            http://127.0.0.1:8402",
            "https://colorize.example.com/,    https://colorize.example.com/",
            "HTTPS://colorize.example.com,     HTTPS://colorize.example.com",
            "' 127.0.0.1:8402 ',               http://127.0.0.1:8402",
    })
    void aHostAndPortMeansHttp(String typed, String meant) {
        assertThat(new ServerAddress().convert(typed)).isEqualTo(URI.create(meant));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1:21", "127.0.0.1:84 02", "http://", "http:///path", "file:///tmp/x"})
    void anythingElseIsExplainedNotThrownAsAParserError(String typed) {
        assertThatThrownBy(() -> new ServerAddress().convert(typed)).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("'" + typed + "'");
    }
}
