package org.chroma402.server.api;

import io.javalin.http.Context;
import java.util.function.Predicate;
import org.chroma402.server.gate.PaymentGate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Refusals decided by the request line, headers and address alone: a client over its invoice rate
 * limit that brings no credential would get a 429 whatever its photo, so its body (up to the size
 * limit, 94 ms of CPU to parse at 18.6 MiB) is neither gathered into memory nor parsed. It is read
 * and dropped before the answer, as every refusal's is: closing the connection on a client still
 * uploading makes the kernel reset it, and the client never sees its 429 (a script that went over
 * the limit got "connection reset" instead of Retry-After).
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
                && !request.getHeaders().contains(org.chroma402.l402.x402.PaymentSignature.HEADER)
                && gate.unpaidRetryAfter(urls.clientKey(request)) > 0;
    }

    /** Before the colorize handler: the 429 for an uncredentialed client over its rate limit, body unread. */
    void refuseOverRateLimit(Context ctx) {
        // A credential of any scheme (x402's payment-signature too) may be a paid request: never refused for load.
        if (!"POST".equals(ctx.method().name()) || ctx.header("Authorization") != null
                || ctx.header(org.chroma402.l402.x402.PaymentSignature.HEADER) != null) {
            return;
        }
        long wait = gate.unpaidRetryAfter(urls.clientKey(ctx));
        if (wait > 0) {
            throw ColorizeService.rateLimited(wait);
        }
    }
}
