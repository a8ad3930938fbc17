package org.chroma402.server.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.time.Duration;
import java.util.List;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.mcp.McpServer;
import org.chroma402.server.metrics.ServerMetrics;
import org.chroma402.server.storage.PersistenceException;
import org.chroma402.server.wiring.ServerParts;
import org.chroma402.server.wiring.ServerResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every path the server answers, in one place, with CORS, error mapping and request metrics. */
public final class Routes {
    private static final Logger log = LoggerFactory.getLogger(Routes.class);
    /** Photos remembered as checked: 4096 digests, about 300 KB. */
    private static final int VERIFIED_PHOTOS = 4096;
    /** Photos the unpaid check decoded, kept for their paid jobs: 64 MiB of pixels, about twenty 1-MP photos. */
    private static final long DECODED_PHOTOS_BYTES = 64L << 20;
    private static final String EXPOSED = "WWW-Authenticate, X-Error-Code, Location, Retry-After, X-Image-Url, "
            + "Payment-Receipt, X-Job-Id, X-Poll-Url, X-Poll-Interval-Ms, PAYMENT-REQUIRED, PAYMENT-RESPONSE";

    private Routes() {
    }

    /** The handlers the routes dispatch to. */
    private record Handlers(ColorizeHandler colorize, JobHandler job, ResultHandler result, InfoHandlers info,
            PaymentHandlers payments, McpHandler mcp) {
    }

    /**
     * Builds the handlers over the server's parts and the Javalin app around them; the caller
     * starts it. While {@code draining} says so, API requests get a 503 and {@code /readyz} says
     * the server is stopping, so a load balancer sends new work elsewhere.
     */
    public static Javalin create(ServerParts parts, java.util.function.BooleanSupplier draining) {
        ServerResources r = parts.resources();
        ServerConfig config = r.config();
        PublicUrls urls = new PublicUrls(config.listening());
        ResultBodies bodies = new ResultBodies(r.results(), urls, r.clock(), new ImageDecoder(config.limits().image()),
                r.encoder());
        ServerMetrics metrics = parts.metrics();
        ColorizeService colorizing = new ColorizeService(config, r.models(), parts.gate(), parts.jobs(), metrics,
                new VerifiedPhotos(VERIFIED_PHOTOS, Duration.ofHours(1), r.clock()), new DecodedPhotos(DECODED_PHOTOS_BYTES));
        Handlers h = new Handlers(
                new ColorizeHandler(config, r.models(), colorizing, bodies, urls, metrics, r.clock()),
                new JobHandler(parts.jobs(), bodies, metrics),
                new ResultHandler(r.results(), parts.jobStore(), config.results(), r.clock()),
                new InfoHandlers(config, r.models(), r.database()::isHealthy, r.backend(), r.developmentPayments(), metrics,
                        urls, draining, r::storageProblem),
                new PaymentHandlers(parts.gate(), parts.watcher(), r.devWallet(), metrics, r.clock()),
                new McpHandler(new McpServer<>("chroma402", r.build().version(), McpTools.instructions(),
                        McpTools.all(config, r.models(), colorizing, parts.jobs(), bodies)), urls,
                        config.listening().corsOrigins()));
        return create(config, h, metrics, urls, new EarlyRefusals(parts.gate(), urls), draining);
    }

    private static Javalin create(ServerConfig config, Handlers h, ServerMetrics metrics, PublicUrls urls,
            EarlyRefusals early, java.util.function.BooleanSupplier draining) {
        return Javalin.create(c -> {
            c.http.maxRequestSize = config.limits().maxRequestBytes();
            c.http.asyncTimeout = 15 * 60 * 1000L;
            c.http.defaultContentType = "application/json";
            c.jetty.host = config.listening().host();
            c.jetty.port = config.listening().port();
            HttpLimits.limitConnections(c.jetty, config, early.unreadBodies());
            c.staticFiles.add(s -> {
                s.hostedPath = "/assets";
                s.directory = "/web/assets";
                s.location = Location.CLASSPATH;
            });
            c.startup.showJavalinBanner = false;

            c.routes.before(RequestLog::start);
            c.routes.before(ctx -> cors(ctx, config.listening().corsOrigins()));
            c.routes.before(ctx -> {
                if (draining.getAsBoolean() && ctx.path().startsWith("/api/")) {
                    throw ApiException.unavailable(ErrorCode.SHUTTING_DOWN, "this server is stopping",
                            "send the request again in a moment (to another server, if there is one); paid requests "
                                    + "keep their credential", 5);
                }
            });
            c.routes.before("/api/*", ctx -> HttpLimits.requireJsonBody(ctx,
                    origin -> config.listening().corsOrigins().contains("*")
                            || config.listening().corsOrigins().contains(origin) || urls.isOwnOrigin(origin, ctx)));
            c.routes.before(EarlyRefusals.COLORIZE, early::refuseOverRateLimit);
            c.routes.options("/*", ctx -> ctx.status(204));

            c.routes.post("/api/l402/colorize-image", h.colorize());
            c.routes.get("/api/l402/colorize-image", ctx -> {
                throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "colorize-image takes a POST with the photo as JSON",
                        "POST {\"image\": \"<base64>\", \"model_size\": \"large\"}; see /openapi.json")
                        .header("Allow", "POST, OPTIONS");
            });
            c.routes.get("/api/l402/jobs/{id}", h.job());
            c.routes.post("/api/mcp", h.mcp()::post);
            c.routes.get("/api/mcp", h.mcp()::notAllowed);
            c.routes.delete("/api/mcp", h.mcp()::notAllowed);
            c.routes.get("/results/{name}", h.result());
            c.routes.get("/api/l402/models", h.info()::models);
            c.routes.post("/api/l402/payment-status", h.payments()::paymentStatus);
            c.routes.get("/api/l402/qr.svg", h.payments()::qr);
            c.routes.post("/api/dev/pay", h.payments()::devPay);
            c.routes.get("/healthz", h.info()::health);
            c.routes.get("/readyz", h.info()::ready);
            c.routes.get("/metrics", h.info()::metrics);
            c.routes.get("/openapi.json", h.info()::openApi);
            c.routes.get("/api/openapi.json", h.info()::openApi);
            c.routes.get("/llms.txt", h.info()::llms);
            c.routes.get("/.well-known/l402.json", h.info()::wellKnown);
            c.routes.get("/.well-known/l402-services", h.info()::l402Services);
            c.routes.get("/api/error-codes", h.info()::errorCodes);
            c.routes.get("/", WebPage::page);
            c.routes.get("/favicon.ico", WebPage::favicon);

            // Refusals can come before the body was read (a 415, a 404 or 405 for a POST, a 503 while
            // stopping): the rest of the body is read first, so that the client gets the answer.
            long maxBody = config.limits().maxRequestBytes();
            c.routes.exception(ApiException.class, (e, ctx) -> {
                // A refusal that closes the connection (the early 429 of EarlyRefusals) leaves the body
                // unread on purpose: reading it is the cost that refusal avoids.
                if (!"close".equalsIgnoreCase(e.headers().get("Connection"))) {
                    HttpLimits.discardUnreadBody(ctx, maxBody);
                }
                sendError(ctx, e, metrics);
            });
            c.routes.exception(HttpResponseException.class, (e, ctx) -> {
                if (e.getStatus() != 413) {
                    // A body over the limit (announced or counted while read) is not read further.
                    HttpLimits.discardUnreadBody(ctx, maxBody);
                }
                sendError(ctx, fromJavalin(e, config), metrics);
            });
            c.routes.exception(PersistenceException.class, (e, ctx) -> {
                log.error("database failure on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                sendError(ctx, ApiException.unavailable(ErrorCode.DATABASE_UNAVAILABLE, "the server's database is unavailable",
                        "try again shortly; a paid request can be repeated with the same credential", 5), metrics);
            });
            c.routes.exception(Exception.class, (e, ctx) -> {
                if (HttpLimits.isClientGone(e)) {
                    // A client that hung up or sent its body too slowly: their doing, not a failure here.
                    log.debug("client went away during {} {}: {}", ctx.method(), ctx.path(), e.toString());
                    sendError(ctx, new ApiException(ErrorCode.REQUEST_INCOMPLETE, "the request body did not arrive in time",
                            "send the whole request at once, faster than " + (config.connections().minUploadBytesPerSecond()
                                    / 1024) + " KiB/s"), metrics);
                    return;
                }
                log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                sendError(ctx, internal(), metrics);
            });
            c.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    HttpLimits.discardUnreadBody(ctx, maxBody);
                    sendError(ctx, new ApiException(ErrorCode.NOT_FOUND, "no such endpoint: " + ctx.method() + " " + ctx.path(),
                            "see /openapi.json for the API"), metrics);
                }
            });
            c.routes.after(ctx -> RequestLog.finish(ctx, metrics));
            if (config.operations().accessLog()) {
                c.requestLogger.http((ctx, ms) -> RequestLog.access(ctx, urls));
            }
        });
    }

    static ApiException internal() {
        return new ApiException(ErrorCode.INTERNAL_ERROR, "the server failed unexpectedly",
                "try again; a paid request can be repeated with the same credential without paying again");
    }

    static void sendError(Context ctx, ApiException e, ServerMetrics metrics) {
        e.headers().forEach(ctx::header);
        ctx.header("X-Error-Code", e.code());
        ctx.header("Cache-Control", "no-store");
        metrics.error(e.code());
        JsonBodies.send(ctx, e.status(), JsonBodies.error(e));
    }

    private static ApiException fromJavalin(HttpResponseException e, ServerConfig config) {
        return switch (e.getStatus()) {
            case 413 -> new ApiException(ErrorCode.IMAGE_TOO_LARGE, "the request is larger than "
                    + (config.limits().maxRequestBytes() >> 20) + " MiB", "send a smaller photo");
            case 404 -> new ApiException(ErrorCode.NOT_FOUND, "not found", "see /openapi.json for the API");
            case 405 -> new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed", "see /openapi.json for the API");
            default -> new ApiException(e.getStatus(), e.getStatus() >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_REQUEST,
                    e.getMessage(), "see /api/openapi.json for the API");
        };
    }

    private static void cors(Context ctx, List<String> origins) {
        String origin = ctx.header("Origin");
        if (origin == null || origins.isEmpty()) {
            return;
        }
        if (origins.contains("*") || origins.contains(origin)) {
            ctx.header("Access-Control-Allow-Origin", origins.contains("*") ? "*" : origin);
            ctx.header("Vary", "Origin");
            ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, Prefer, MCP-Protocol-Version, Mcp-Session-Id, PAYMENT-SIGNATURE");
            ctx.header("Access-Control-Expose-Headers", EXPOSED);
            ctx.header("Access-Control-Max-Age", "600");
        }
    }
}
