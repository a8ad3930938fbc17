package org.chroma402.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Header values of MCP 2026-07-28, decoded as its Streamable HTTP transport page says. */
class StreamableHttpTest {

    /** The "Encoding examples" table of docs/specification/2026-07-28/basic/transports/streamable-http.mdx. */
    @ParameterizedTest(name = "{0} is read as the body value")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "us-west1|us-west1",
            "=?base64?SGVsbG8sIOS4lueVjA==?=|Hello, 世界",
            "=?base64?IHBhZGRlZCA=?=|\" padded \"",
            "=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=|=?base64?literal?=",
    })
    void theSpecificationsEncodingExamplesDecodeToTheirValues(String header, String value) {
        assertThat(StreamableHttp.decode(header)).hasValue(value);
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource({"=?base64?not base64!?="})
    void aBrokenEncodingIsRefusedNotComparedAsText(String header) {
        assertThat(StreamableHttp.decode(header)).isEmpty();
    }
}
