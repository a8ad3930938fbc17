package org.chroma402.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One tool an {@link McpServer} offers: its name, what it does, the JSON Schema of its arguments,
 * and the call itself. {@code C} is what the transport knows of the caller (the client's address
 * over HTTP), so tools apply the same per-client rules as the HTTP API.
 */
public interface McpTool<C> {

    String name();

    String description();

    /** The JSON Schema of the arguments object. */
    ObjectNode inputSchema();

    /**
     * Runs the tool. A failure the caller can act on is a {@link ToolResult#error} result, not an
     * exception; an exception is reported as a tool error with its message.
     */
    ToolResult call(JsonNode arguments, C caller) throws Exception;
}
