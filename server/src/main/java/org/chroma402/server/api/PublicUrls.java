package org.chroma402.server.api;

import io.javalin.http.Context;
import java.net.URI;

/**
 * The base of the URLs the server hands out ({@code image_url}, poll URLs): the configured public
 * URL, or else what the request was sent to (honouring {@code X-Forwarded-*} only when the
 * operator says a trusted proxy sets them).
 */
final class PublicUrls {
    private final URI configured;
    private final boolean trustProxy;

    PublicUrls(URI configured, boolean trustProxy) {
        this.configured = configured;
        this.trustProxy = trustProxy;
    }

    String base(Context ctx) {
        if (configured != null) {
            String s = configured.toString();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
        String scheme = ctx.scheme();
        String host = ctx.host();
        if (trustProxy) {
            String proto = ctx.header("X-Forwarded-Proto");
            String fwdHost = ctx.header("X-Forwarded-Host");
            if (proto != null && !proto.isBlank()) {
                scheme = proto.split(",")[0].strip();
            }
            if (fwdHost != null && !fwdHost.isBlank()) {
                host = fwdHost.split(",")[0].strip();
            }
        }
        if (host == null || host.isBlank()) {
            host = "localhost";
        }
        return scheme + "://" + host;
    }

    String clientAddress(Context ctx) {
        if (trustProxy) {
            String forwarded = ctx.header("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                return forwarded.split(",")[0].strip();
            }
        }
        return ctx.ip();
    }
}
