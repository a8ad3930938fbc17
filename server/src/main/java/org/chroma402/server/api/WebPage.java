package org.chroma402.server.api;

import io.javalin.http.Context;

/** The page people use ({@code /}) and its icon. */
final class WebPage {
    private static final byte[] FAVICON = resource("/web/favicon.png");

    private WebPage() {
    }

    /** The page itself: never cached stale, and allowed to load nothing but this server's own files. */
    static void page(Context ctx) throws java.io.IOException {
        try (var in = WebPage.class.getResourceAsStream("/web/index.html")) {
            if (in == null) {
                throw new ApiException(ErrorCode.NOT_FOUND, "the web page is not in this build", "use the API");
            }
            ctx.header("Cache-Control", "no-cache");
            ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                    + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
            ctx.contentType("text/html; charset=utf-8").result(in.readAllBytes());
        }
    }

    /** The page's icon (a PNG: every browser takes one at /favicon.ico). */
    static void favicon(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=86400");
        JsonBodies.binary(ctx, "image/png", FAVICON);
    }

    private static byte[] resource(String name) {
        try (var in = WebPage.class.getResourceAsStream(name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
