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
 * answers one JSON-RPC message at a time ({@code initialize}, {@code ping}, {@code tools/list},
 * {@code tools/call}; notifications get no answer). Stateless: nothing is kept between messages,
 * so any replica can answer any message, and the HTTP endpoint needs no session.
 */
public final class McpServer<C> {
    private static final Logger log = LoggerFactory.getLogger(McpServer.class);
    /** Newest first; an {@code initialize} asking for another gets the newest. */
    public static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;

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
        return Optional.of(switch (method.asText()) {
            case "initialize" -> result(id, initialize(params));
            case "ping" -> result(id, JsonNodeFactory.instance.objectNode());
            case "tools/list" -> result(id, listTools());
            case "tools/call" -> callTool(id, params, caller);
            default -> error(id, METHOD_NOT_FOUND, "no method " + method.asText());
        });
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

    static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("jsonrpc", "2.0");
        out.set("id", id == null ? JsonNodeFactory.instance.nullNode() : id);
        out.putObject("error").put("code", code).put("message", message);
        return out;
    }
}
