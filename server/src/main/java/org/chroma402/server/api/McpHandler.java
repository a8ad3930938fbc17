package org.chroma402.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.chroma402.server.mcp.McpServer;
import org.chroma402.server.mcp.StreamableHttp;

/**
 * {@code /api/mcp}: the MCP Streamable HTTP transport, stateless. A POST carries one JSON-RPC
 * message; a request is answered with {@code application/json}, a notification with 202. Requests
 * of MCP 2026-07-28 (named by {@code _meta} or {@code MCP-Protocol-Version}) must mirror their
 * version, method and tool name in headers, and get that revision's status codes ({@link StreamableHttp});
 * older clients are answered as before. There is
 * no server-initiated stream, so GET is 405, as the transport allows. Browsers from other origins
 * are refused unless {@code server.cors-origins} lets them in (DNS-rebinding defence).
 */
final class McpHandler {
    private final McpServer<McpTools.Caller> server;
    private final PublicUrls urls;
    private final List<String> corsOrigins;

    McpHandler(McpServer<McpTools.Caller> server, PublicUrls urls, List<String> corsOrigins) {
        this.server = server;
        this.urls = urls;
        this.corsOrigins = corsOrigins;
    }

    void post(Context ctx) throws IOException {
        String origin = ctx.header("Origin");
        String base = urls.base(ctx);
        if (origin != null && !corsOrigins.contains("*") && !corsOrigins.contains(origin) && !urls.isOwnOrigin(origin, ctx)) {
            throw new ApiException(403, ErrorCode.INVALID_REQUEST, "requests from " + origin + " are not allowed",
                    "call /api/mcp from a program, or ask the operator to add the origin to server.cors-origins");
        }
        JsonNode message;
        try {
            message = JsonBodies.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            JsonBodies.send(ctx, 400, McpServer.parseError());
            return;
        }
        ctx.header("Cache-Control", "no-store");
        JsonNode id = message != null && message.isObject() ? message.get("id") : null;
        String version = singleHeader(ctx, "MCP-Protocol-Version");
        if (version != null && !McpServer.SUPPORTED_VERSIONS.contains(version)) {
            JsonBodies.send(ctx, 400, McpServer.unsupportedVersion(id, version));
            return;
        }
        // 2026-07-28 requests are told apart per request (its _meta or header); older clients are served as before.
        boolean modern = message != null && message.isObject() && StreamableHttp.isModern(message, version);
        if (modern) {
            Optional<ObjectNode> mismatch = StreamableHttp.checkHeaders(message, name -> singleHeader(ctx, name));
            if (mismatch.isPresent()) {
                JsonBodies.send(ctx, 400, mismatch.get());
                return;
            }
        }
        Optional<ObjectNode> answer = server.handle(message, new McpTools.Caller(urls.clientKey(ctx), base));
        if (answer.isEmpty()) {
            ctx.status(202);
            return;
        }
        JsonBodies.send(ctx, StreamableHttp.status(answer.get(), modern), answer.get());
    }

    void notAllowed(Context ctx) {
        throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "this MCP endpoint offers no server-sent stream",
                "POST JSON-RPC messages to /api/mcp").header("Allow", "POST, OPTIONS");
    }

    /**
     * A header's value, or "" (which matches nothing) when it is repeated with different values:
     * a proxy routing on the last copy would see another request than the one judged on the first.
     */
    private static String singleHeader(Context ctx, String name) {
        java.util.List<String> values = java.util.Collections.list(ctx.req().getHeaders(name));
        return values.stream().distinct().count() > 1 ? "" : ctx.header(name);
    }
}
