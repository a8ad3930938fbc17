package org.chroma402.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Model Context Protocol's server side for a set of tools, independent of the transport: it
 * answers one JSON-RPC message at a time; notifications get no answer. Stateless: nothing is kept
 * between messages, so any replica can answer any message, and the HTTP endpoint needs no session.
 *
 * <p>It speaks both eras of the protocol, chosen per request. A request whose {@code _meta} names a
 * protocol version ({@link RequestMeta}) is served as 2026-07-28 says: {@code server/discover},
 * {@code tools/list}, {@code tools/call}; every result carries {@code resultType} and the server's
 * identity in {@code _meta}; an unsupported version is an {@link #UNSUPPORTED_PROTOCOL_VERSION}
 * error naming the versions we speak. Any other request is served as 2024-11-05 to 2025-11-25 say
 * ({@code initialize}, {@code ping}, {@code tools/list}, {@code tools/call}), unchanged, since
 * clients of those versions cannot fall forward.
 */
public final class McpServer<C> {
    private static final Logger log = LoggerFactory.getLogger(McpServer.class);
    /**
     * The handshake versions, newest first; an {@code initialize} asking for another gets the newest
     * (2026-07-28 has no {@code initialize}, so a client asking for it there gets 2025-11-25).
     */
    public static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
    /** The versions served statelessly, each request naming its own in {@code _meta}. */
    public static final List<String> MODERN_VERSIONS = List.of("2026-07-28");
    /** Every version we speak, newest first, as {@code server/discover} and version errors list them. */
    public static final List<String> SUPPORTED_VERSIONS = List.of("2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26",
            "2024-11-05");
    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    /** 2026-07-28: the HTTP headers do not match the body, or a required one is missing. */
    public static final int HEADER_MISMATCH = -32020;
    /** 2026-07-28: the request needs a client capability it did not declare. */
    public static final int MISSING_REQUIRED_CLIENT_CAPABILITY = -32021;
    /** 2026-07-28: the requested protocol version is not one we speak; {@code data.supported} lists those we do. */
    public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;
    /**
     * How long a client may keep our {@code tools/list} and {@code server/discover} answers. The tools
     * only change with a new release, but a redeploy should reach agents within minutes.
     */
    static final long CACHE_TTL_MS = 600_000;

    private final String name;
    private final String version;
    private final String instructions;
    private final Map<String, McpTool<C>> tools = new LinkedHashMap<>();

    public McpServer(String name, String version, String instructions, List<? extends McpTool<C>> tools) {
        this.name = name;
        this.version = version;
        this.instructions = instructions;
        tools.forEach(t -> this.tools.put(t.name(), t));
    }

    /** The answer to one message; empty for a notification or a response (nothing to answer). */
    public Optional<ObjectNode> handle(JsonNode message, C caller) {
        if (message == null || !message.isObject()) {
            return Optional.of(error(null, INVALID_REQUEST, "a message is one JSON-RPC object (batches are not supported)"));
        }
        JsonNode id = message.get("id");
        JsonNode method = message.get("method");
        if (method == null) {
            // A response to a request of ours: we send none, so there is nothing to do.
            return Optional.empty();
        }
        if (!method.isTextual() || !"2.0".equals(message.path("jsonrpc").asText())) {
            return Optional.of(error(id, INVALID_REQUEST, "not a JSON-RPC 2.0 request"));
        }
        if (id == null || id.isNull()) {
            return Optional.empty(); // notifications/initialized, notifications/cancelled, ...
        }
        if (!id.isTextual() && !id.isIntegralNumber()) {
            return Optional.of(error(null, INVALID_REQUEST, "the id must be a string or an integer"));
        }
        JsonNode params = message.path("params");
        Optional<RequestMeta> meta = RequestMeta.of(message);
        // initialize is the legacy era by definition, whatever its _meta says.
        if (meta.isPresent() && !"initialize".equals(method.asText())) {
            return Optional.of(modern(id, method.asText(), params, meta.get(), caller));
        }
        return Optional.of(switch (method.asText()) {
            case "initialize" -> result(id, initialize(params));
            case "ping" -> result(id, JsonNodeFactory.instance.objectNode());
            case "tools/list" -> result(id, listTools());
            case "tools/call" -> callTool(id, params, caller);
            // A probe without _meta: the answer still tells the caller which versions to name.
            case "server/discover" -> complete(result(id, discover()));
            default -> error(id, METHOD_NOT_FOUND, "no method " + method.asText());
        });
    }

    /** A 2026-07-28 request: no handshake before it, everything about the client in its {@code _meta}. */
    private ObjectNode modern(JsonNode id, String method, JsonNode params, RequestMeta meta, C caller) {
        if (!MODERN_VERSIONS.contains(meta.protocolVersion())) {
            return unsupportedVersion(id, meta.protocolVersion());
        }
        // Required on every request; discover is spared so that a bare probe still learns our versions.
        if (!meta.clientCapabilities().isObject() && !"server/discover".equals(method)) {
            return error(id, INVALID_PARAMS, "_meta." + RequestMeta.CLIENT_CAPABILITIES + " is required (an object)");
        }
        return complete(switch (method) {
            case "server/discover" -> result(id, discover());
            case "tools/list" -> result(id, cacheable(listTools()));
            case "tools/call" -> callTool(id, params, caller);
            // ping, logging/setLevel, resources/subscribe, ... are gone in this revision or not offered.
            default -> error(id, METHOD_NOT_FOUND, "no method " + method);
        });
    }

    /**
     * The answer to a request naming a protocol version we do not speak, listing those we do so the
     * client can retry with one (a modern client recognises it and does not fall back to {@code initialize}).
     */
    public static ObjectNode unsupportedVersion(JsonNode id, String requested) {
        ObjectNode out = error(id, UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version " + requested);
        ObjectNode data = ((ObjectNode) out.get("error")).putObject("data");
        SUPPORTED_VERSIONS.forEach(data.putArray("supported")::add);
        data.put("requested", requested);
        return out;
    }

    /** A 2026-07-28 {@code HeaderMismatch} error: what the HTTP headers say is not what the body says. */
    public static ObjectNode headerMismatch(JsonNode id, String why) {
        return error(id, HEADER_MISMATCH, "Header mismatch: " + why);
    }

    /** The JSON-RPC answer to bytes that are not JSON at all. */
    public static ObjectNode parseError() {
        return error(null, PARSE_ERROR, "the message is not JSON");
    }

    private ObjectNode initialize(JsonNode params) {
        String asked = params.path("protocolVersion").asText("");
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("protocolVersion", PROTOCOL_VERSIONS.contains(asked) ? asked : PROTOCOL_VERSIONS.get(0));
        out.putObject("capabilities").putObject("tools").put("listChanged", false);
        out.putObject("serverInfo").put("name", name).put("version", version);
        out.put("instructions", instructions);
        return out;
    }

    private ObjectNode discover() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        SUPPORTED_VERSIONS.forEach(out.putArray("supportedVersions")::add);
        out.putObject("capabilities").putObject("tools");
        out.put("instructions", instructions);
        return cacheable(out);
    }

    /** Caching hints, which 2026-07-28 requires on discover and list results: the same for every caller. */
    private static ObjectNode cacheable(ObjectNode result) {
        result.put("ttlMs", CACHE_TTL_MS);
        result.put("cacheScope", "public");
        return result;
    }

    /**
     * Marks a modern result as final ({@code resultType}, which every 2026-07-28 result carries; we
     * never answer {@code input_required}: payment is asked for in the tool result, as in every
     * version) and names the server, which no handshake did. Errors are left as they are.
     */
    private ObjectNode complete(ObjectNode response) {
        if (response.get("result") instanceof ObjectNode result) {
            result.put("resultType", "complete");
            result.putObject("_meta").putObject(RequestMeta.SERVER_INFO).put("name", name).put("version", version);
        }
        return response;
    }

    private ObjectNode listTools() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode list = out.putArray("tools");
        for (McpTool<C> t : tools.values()) {
            list.addObject().put("name", t.name()).put("description", t.description()).set("inputSchema", t.inputSchema());
        }
        return out;
    }

    private ObjectNode callTool(JsonNode id, JsonNode params, C caller) {
        McpTool<C> tool = tools.get(params.path("name").asText(""));
        if (tool == null) {
            return error(id, INVALID_PARAMS, "no tool named " + params.path("name") + "; see tools/list");
        }
        JsonNode arguments = params.path("arguments");
        if (!arguments.isMissingNode() && !arguments.isNull() && !arguments.isObject()) {
            return error(id, INVALID_PARAMS, "arguments must be an object");
        }
        try {
            return result(id, tool.call(arguments.isObject() ? arguments : JsonNodeFactory.instance.objectNode(), caller).toJson());
        } catch (Exception e) {
            log.warn("MCP tool {} failed", tool.name(), e);
            ObjectNode failure = JsonNodeFactory.instance.objectNode();
            // The details are for the operator's log: a message can name files or hosts.
            failure.put("error", "the tool failed unexpectedly");
            failure.put("suggestion", "try again; a paid call can be repeated with the same credential without paying again");
            failure.put("error_code", "internal_error");
            return result(id, ToolResult.error(failure).toJson());
        }
    }

    private static ObjectNode result(JsonNode id, ObjectNode result) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("jsonrpc", "2.0");
        out.set("id", id);
        out.set("result", result);
        return out;
    }

    /** A JSON-RPC error response; {@code id} null when the request's could not be read. */
    public static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("jsonrpc", "2.0");
        out.set("id", id == null ? JsonNodeFactory.instance.nullNode() : id);
        out.putObject("error").put("code", code).put("message", message);
        return out;
    }
}
