package org.chroma402.server.mcp;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON Schema of a tool's arguments, written the way every {@link McpTool} here needs it. */
public final class ToolSchema {
    private ToolSchema() {
    }

    /** {@code {"type": "object", "properties": {}}}: no arguments yet. */
    public static ObjectNode object() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("type", "object");
        schema.putObject("properties");
        return schema;
    }

    /** Adds a property of a JSON type to an {@link #object()} schema; returns it, for more keywords. */
    public static ObjectNode property(ObjectNode schema, String name, String type, String description) {
        ObjectNode p = ((ObjectNode) schema.get("properties")).putObject(name);
        p.put("type", type);
        p.put("description", description);
        return p;
    }
}
