package org.chroma402.server.api;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.chroma402.server.metrics.ServerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What each request leaves behind: its metrics (bounded labels) and, if enabled, one access-log line. */
final class RequestLog {
    private static final Logger access = LoggerFactory.getLogger("org.chroma402.access");
    private static final String STARTED = "chroma402.started";
    private static final java.util.Set<String> METHODS = java.util.Set.of("GET", "POST", "OPTIONS", "HEAD", "PUT", "DELETE",
            "PATCH");

    private RequestLog() {
    }

    /** Marks when the request began (a before-handler). */
    static void start(Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
    }

    /** Counts the request (an after-handler: the status is final, the body not yet written). */
    static void finish(Context ctx, ServerMetrics metrics) {
        metrics.request(method(ctx), route(ctx), ctx.statusCode());
    }

    /**
     * One line per request: method, route template (never the path: job ids and result names are
     * capabilities), status, response bytes, duration and client address. Never headers or bodies.
     * A request logger, not an after-handler: it runs once the body is written, so the bytes are
     * the ones sent (an after-handler sees no Content-Length yet and could only say "-").
     */
    static void access(Context ctx, PublicUrls urls) {
        Long started = ctx.attribute(STARTED);
        long millis = started == null ? -1 : (System.nanoTime() - started) / 1_000_000;
        String bytes = bytesSent(ctx);
        String method = method(ctx);
        String route = route(ctx);
        String client = urls.clientAddress(ctx);
        access.atInfo().addKeyValue("method", method).addKeyValue("route", route).addKeyValue("status", ctx.statusCode())
                .addKeyValue("bytes", bytes).addKeyValue("duration_ms", millis).addKeyValue("client", client)
                .log("{} {} {} {} {}ms {}", method, route, ctx.statusCode(), bytes.equals("-") ? bytes : bytes + "B",
                        millis, client);
    }

    /** The body bytes written (compressed, if it was), else the declared length, else "-". */
    private static String bytesSent(Context ctx) {
        try {
            ServletContextResponse response = ServletContextResponse.getServletContextResponse(ctx.res());
            if (response != null) {
                return Long.toString(response.getHttpOutput().getWritten());
            }
        } catch (RuntimeException notJetty) {
            // Another servlet container: fall back to the header.
        }
        String length = ctx.res().getHeader("Content-Length");
        return length == null ? "-" : length;
    }

    /** The route template that answered (such as {@code /api/l402/jobs/{id}}), never the raw path: labels stay few. */
    private static String route(Context ctx) {
        try {
            io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
            if (matched != null) {
                return matched.path;
            }
        } catch (RuntimeException e) {
            // No endpoint matched.
        }
        return ctx.statusCode() == 404 ? "unmatched" : ctx.path().startsWith("/assets/") ? "/assets/*" : "other";
    }

    /** The method as a label: the usual ones by name, anything a client made up as {@code OTHER}. */
    private static String method(Context ctx) {
        String method = ctx.req().getMethod();
        return method != null && METHODS.contains(method) ? method : "OTHER";
    }
}
