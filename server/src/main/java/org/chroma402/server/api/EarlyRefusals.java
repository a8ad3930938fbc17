package org.chroma402.server.api;

import io.javalin.http.Context;
import java.util.function.Predicate;
import org.chroma402.server.gate.PaymentGate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Refusals decided by the request line, headers and address alone, made before the body is read:
 * a client over its invoice rate limit that brings no credential would get a 429 whatever its
 * photo, so its body (up to the size limit, 94 ms of CPU to parse at 18.6 MiB) is never gathered
 * nor parsed, and the connection is closed after the answer rather than drained.
 */
final class EarlyRefusals {
    static final String COLORIZE = "/api/l402/colorize-image";

    private final PaymentGate gate;
    private final PublicUrls urls;

    EarlyRefusals(PaymentGate gate, PublicUrls urls) {
        this.gate = gate;
        this.urls = urls;
    }

    /** For the listener: requests to hand on without gathering their body, since they will be refused. */
    Predicate<Request> unreadBodies() {
        return request -> "POST".equals(request.getMethod()) && COLORIZE.equals(Request.getPathInContext(request))
                && !request.getHeaders().contains(HttpHeader.AUTHORIZATION)
                && gate.unpaidRetryAfter(urls.clientKey(request)) > 0;
    }

    /** Before the colorize handler: the 429 for an uncredentialed client over its rate limit, body unread. */
    void refuseOverRateLimit(Context ctx) {
        if (!"POST".equals(ctx.method().name()) || ctx.header("Authorization") != null) {
            return;
        }
        long wait = gate.unpaidRetryAfter(urls.clientKey(ctx));
        if (wait > 0) {
            throw ColorizeService.rateLimited(wait).header("Connection", "close");
        }
    }
}
