package org.chroma402.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What a request of MCP 2026-07-28 says about its client in {@code params._meta}: the protocol
 * version it speaks, its capabilities and who it is. That revision has no {@code initialize}
 * handshake, so every request carries these, and their presence is what tells a modern request
 * from a legacy one (2025-11-25 and earlier) on the same endpoint or pipe.
 *
 * @param protocolVersion    {@code io.modelcontextprotocol/protocolVersion}, never null
 * @param clientCapabilities {@code io.modelcontextprotocol/clientCapabilities}; a missing node when absent
 * @param clientInfo         {@code io.modelcontextprotocol/clientInfo}; a missing node when absent
 */
public record RequestMeta(String protocolVersion, JsonNode clientCapabilities, JsonNode clientInfo) {
    public static final String PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    public static final String CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    public static final String CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    /** Where a modern result names its server (there is no {@code initialize} result to carry it). */
    public static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";

    /** The metadata of a JSON-RPC message; empty when its {@code _meta} names no protocol version (a legacy request). */
    public static Optional<RequestMeta> of(JsonNode message) {
        JsonNode meta = message.path("params").path("_meta");
        JsonNode version = meta.path(PROTOCOL_VERSION);
        if (!version.isTextual()) {
            return Optional.empty();
        }
        return Optional.of(new RequestMeta(version.asText(), meta.path(CLIENT_CAPABILITIES), meta.path(CLIENT_INFO)));
    }
}
