package org.chroma402.server.mcp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The result of a tool call as MCP's {@code tools/call} answers it: content blocks (text, images)
 * for the model, the same facts as {@code structuredContent} for programs, and whether it failed.
 */
public record ToolResult(ArrayNode content, ObjectNode structuredContent, boolean isError) {

    /** A result whose text block is the structured content as JSON, as MCP advises for compatibility. */
    public static ToolResult of(ObjectNode structured) {
        ArrayNode content = JsonNodeFactory.instance.arrayNode();
        content.addObject().put("type", "text").put("text", structured.toString());
        return new ToolResult(content, structured, false);
    }

    /** A failed call: the model reads why and what to do. */
    public static ToolResult error(ObjectNode structured) {
        ToolResult r = of(structured);
        return new ToolResult(r.content(), structured, true);
    }

    /** The same result with an image block added (base64 data). */
    public ToolResult withImage(String base64, String mimeType) {
        ArrayNode more = content.deepCopy();
        more.addObject().put("type", "image").put("data", base64).put("mimeType", mimeType);
        return new ToolResult(more, structuredContent, isError);
    }

    ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("content", content);
        out.set("structuredContent", structuredContent);
        out.put("isError", isError);
        return out;
    }
}
