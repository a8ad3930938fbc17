package org.chroma402.app.config;

import java.net.URI;
import java.net.URISyntaxException;

/** Small parsers shared by the configuration records. */
final class ConfigParsing {
    private ConfigParsing() {
    }

    static URI uri(String text) {
        try {
            URI uri = new URI(text.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new ConfigException("'" + text + "' is not an absolute URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException("'" + text + "' is not a valid URL: " + e.getReason());
        }
    }
}
