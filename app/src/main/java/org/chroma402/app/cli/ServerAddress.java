package org.chroma402.app.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Reads a {@code --server} value: a base URL ({@code https://colorize.example.com}), or
 * {@code host:port} or a bare host, which mean {@code http://} as people type them for a server on
 * their own machine or network. Anything else is refused with what to type instead, never with a
 * parser's exception.
 */
final class ServerAddress implements CommandLine.ITypeConverter<URI> {
    private static final String EXAMPLE = "give a URL such as http://127.0.0.1:8402 or https://colorize.example.com, "
            + "or host:port";

    @Override
    public URI convert(String value) {
        String text = value.strip();
        // Without a scheme, URI would read "localhost:8402" as the scheme "localhost" and "127.0.0.1:8402" not at all.
        URI uri;
        try {
            uri = new URI(text.contains("://") ? text : "http://" + text);
        } catch (URISyntaxException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a server address (" + e.getReason()
                    + " at character " + (e.getIndex() + 1) + "): " + EXAMPLE);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new CommandLine.TypeConversionException("'" + value + "': a Chroma402 server is reached over http:// "
                    + "or https://, not " + scheme + "://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new CommandLine.TypeConversionException("'" + value + "' names no host: " + EXAMPLE);
        }
        return uri;
    }
}
