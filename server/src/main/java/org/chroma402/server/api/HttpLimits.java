package org.chroma402.server.api;

import io.javalin.http.Context;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.http.ConnectionGuards;

/** The HTTP-level bounds on what a client may cost: connections, threads, upload speed, body type. */
final class HttpLimits {
    private HttpLimits() {
    }

    /** Paths that answer probes and scrapers: they keep threads of their own under any API load. */
    static final java.util.List<String> PROBE_PATHS = java.util.List.of("/healthz", "/readyz", "/metrics");

    /**
     * What a slow or greedy client may hold (see {@link ConnectionGuards}), the API's way: bodies
     * up to the request limit, and requests {@code answerUnread} picks answered before their body
     * is read. Behind trusted proxies every request comes from them, so the per-address limit is
     * left to the proxy.
     */
    static void limitConnections(io.javalin.config.JettyConfig jetty, ServerConfig config,
            java.util.function.Predicate<org.eclipse.jetty.server.Request> answerUnread) {
        ConnectionGuards.install(jetty, new ConnectionGuards.Options(config.connections(), !config.listening().trustProxy(),
                config.limits().maxRequestBytes(), ConnectionGuards.Options.defaultBodyBudget(), PROBE_PATHS, answerUnread));
    }

    /** Whether a failure is the client's connection ending early or trickling: an aborted read, not our bug. */
    static boolean isClientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.eclipse.jetty.io.EofException || t instanceof org.eclipse.jetty.http.BadMessageException
                    || t instanceof java.util.concurrent.TimeoutException || t instanceof java.io.InterruptedIOException) {
                return true;
            }
            String message = t.getMessage();
            if (t instanceof java.io.IOException && message != null && (message.contains("Early EOF")
                    || message.contains("Connection reset") || message.contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads and drops what is left of a request body before an error is sent for it, so that the
     * client gets the answer. A refusal made before the body was read (a 415, a 404 for a POST, a
     * 503 while stopping) otherwise leaves the connection with unread bytes: Jetty then marks it
     * not persistent and, once more than a header's worth of the body arrives after the answer,
     * closes it with bytes unread, which makes the kernel reset it. A client still uploading
     * (a slow or busy one) then loses the answer and sees the connection die
     * ("header parser received no bytes" in the JDK client). Bodies larger than the request
     * limit are left unread: the 413 they get closes the connection, as it must; a client
     * trickling its body is cut off by the upload-rate limit while this reads.
     */
    static void discardUnreadBody(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            return;
        }
        try {
            java.io.InputStream body = ctx.req().getInputStream();
            byte[] sink = new byte[16 * 1024];
            long total = 0;
            for (int n; total <= maxBytes && (n = body.read(sink)) >= 0; ) {
                total += n;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // The body could not be read (the client went away, or it was already taken as a stream
            // another way): the answer is sent anyway, on a connection Jetty will close.
        }
    }

    /**
     * POSTs to the API carry JSON, as the API contract says. Refusing other declared types keeps
     * other web sites' pages from making visitors' browsers post to us without a CORS preflight
     * (a form or text/plain post is a "simple" request).
     *
     * <p>A request with no type at all is let through for programs — lnget's {@code -d} sends none
     * unless given {@code --content-type} — but not from a page of another origin: a browser's
     * {@code no-cors} fetch with a Blob body also sends no type, and every browser names the page's
     * origin in {@code Origin} on a POST, which programs do not send.
     */
    static void requireJsonBody(Context ctx, java.util.function.Predicate<String> allowedOrigin) {
        if (!"POST".equals(ctx.req().getMethod())) {
            return;
        }
        String type = ctx.header("Content-Type");
        if (type == null || type.isBlank()) {
            String origin = ctx.header("Origin");
            if (origin != null && !allowedOrigin.test(origin)) {
                throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "a POST from a page of another origin must declare its body as JSON",
                        "send the header 'Content-Type: application/json'");
            }
            return;
        }
        String media = type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!media.equals("application/json") && !media.endsWith("+json")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the request body must be JSON, not " + abbreviate(media),
                    "send the header 'Content-Type: application/json' (with curl: -H 'Content-Type: application/json')");
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
