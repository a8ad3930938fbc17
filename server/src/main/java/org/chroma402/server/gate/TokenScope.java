package org.chroma402.server.gate;

/**
 * What Chroma402's macaroons are scoped to: the macaroon location, and the service name that the
 * {@code services} and {@code colorize_valid_until} caveats carry (as Aperture names services).
 */
public final class TokenScope {
    /** The service name in {@code services=colorize:0} and the prefix of {@code colorize_valid_until}. */
    public static final String SERVICE = "colorize";
    /** The macaroon's location field. */
    public static final String LOCATION = "chroma402";

    private TokenScope() {
    }
}
