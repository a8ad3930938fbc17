package org.chroma402.app.config;

import java.net.URI;
import java.net.URISyntaxException;

/** Small parsers shared by the configuration records. */
public final class ConfigParsing {
    private ConfigParsing() {
    }

    /** An absolute URL; the error names the setting. */
    public static URI uri(String key, String text) {
        try {
            URI uri = new URI(text.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new ConfigException(key + " must be a full URL such as https://127.0.0.1:8080, got '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(key + " is not a valid URL: " + e.getReason());
        }
    }

    /** The URL a setting holds, if it is set. */
    public static java.util.Optional<URI> uri(Settings settings, Setting setting) {
        return settings.get(setting).map(v -> uri(setting.key(), v));
    }
}
