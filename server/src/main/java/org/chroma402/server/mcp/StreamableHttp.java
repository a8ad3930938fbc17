package org.chroma402.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The rules of MCP's Streamable HTTP transport that depend on the protocol version but not on the
 * web framework: which requests are of the 2026-07-28 era, the request headers that revision makes
 * every POST mirror from its body ({@code MCP-Protocol-Version}, {@code Mcp-Method},
 * {@code Mcp-Name}), and the HTTP status of each answer. Gateways route and rate-limit on those
 * headers, so a body saying something else must be refused rather than served.
 */
public final class StreamableHttp {
    /** The methods whose {@code Mcp-Name} header mirrors {@code params.name} or {@code params.uri}. */
    private static final Set<String> NAMED = Set.of("tools/call", "resources/read", "prompts/get");
    private static final String BASE64_PREFIX = "=?base64?";
    private static final String BASE64_SUFFIX = "?=";

    private StreamableHttp() {
    }

    /**
     * Whether a message is of the 2026-07-28 era: its {@code _meta} names a protocol version, or
     * the {@code MCP-Protocol-Version} header names a modern one (then a body without {@code _meta}
     * is a mismatch, not a legacy request).
     */
    public static boolean isModern(JsonNode message, String versionHeader) {
        return RequestMeta.of(message).isPresent() || versionHeader != null && McpServer.MODERN_VERSIONS.contains(versionHeader);
    }

    /**
     * The {@code HeaderMismatch} error for a modern request whose headers are missing or say other
     * than its body; empty when they agree. Notifications are not checked: 2026-07-28 leaves their
     * headers undefined.
     *
     * @param header a request header by name (case-insensitive), null when absent
     */
    public static Optional<ObjectNode> checkHeaders(JsonNode message, UnaryOperator<String> header) {
        JsonNode id = message.get("id");
        if (id == null || id.isNull()) {
            return Optional.empty();
        }
        String version = header.apply("MCP-Protocol-Version");
        String bodyVersion = RequestMeta.of(message).map(RequestMeta::protocolVersion).orElse(null);
        if (version == null) {
            return mismatch(id, "the MCP-Protocol-Version header is required");
        }
        if (!version.equals(bodyVersion)) {
            return mismatch(id, "MCP-Protocol-Version header value '" + version + "' does not match body value '"
                    + bodyVersion + "' (_meta." + RequestMeta.PROTOCOL_VERSION + ")");
        }
        String method = message.path("method").asText();
        String methodHeader = header.apply("Mcp-Method");
        if (!method.equals(methodHeader)) {
            return mismatch(id, methodHeader == null ? "the Mcp-Method header is required"
                    : "Mcp-Method header value '" + methodHeader + "' does not match body value '" + method + "'");
        }
        if (NAMED.contains(method)) {
            JsonNode params = message.path("params");
            String name = params.has("uri") && !"tools/call".equals(method) ? params.path("uri").asText()
                    : params.path("name").asText();
            String nameHeader = header.apply("Mcp-Name");
            if (nameHeader == null) {
                return mismatch(id, "the Mcp-Name header is required for " + method);
            }
            Optional<String> decoded = decode(nameHeader);
            if (decoded.isEmpty()) {
                return mismatch(id, "the Mcp-Name header is not valid =?base64?...?= encoding");
            }
            if (!decoded.get().equals(name)) {
                return mismatch(id, "Mcp-Name header value '" + nameHeader + "' does not match body value '" + name + "'");
            }
        }
        return Optional.empty();
    }

    /**
     * The HTTP status of an answer: 400 for the errors 2026-07-28 defines (a bad version, headers or
     * missing capability), 404 for an unknown method in that era (so a client can tell "no such
     * method" from "no MCP here"), and 200 otherwise, as earlier versions had it.
     */
    public static int status(ObjectNode answer, boolean modern) {
        JsonNode error = answer.get("error");
        if (error == null) {
            return 200;
        }
        int code = error.path("code").asInt();
        if (code == McpServer.UNSUPPORTED_PROTOCOL_VERSION || code == McpServer.HEADER_MISMATCH
                || code == McpServer.MISSING_REQUIRED_CLIENT_CAPABILITY) {
            return 400;
        }
        return modern && code == McpServer.METHOD_NOT_FOUND ? 404 : 200;
    }

    /** A header value as sent, or the text of its {@code =?base64?...?=} form; empty when that form is broken. */
    static Optional<String> decode(String value) {
        if (!value.startsWith(BASE64_PREFIX) || !value.endsWith(BASE64_SUFFIX)
                || value.length() < BASE64_PREFIX.length() + BASE64_SUFFIX.length()) {
            return Optional.of(value);
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(value.substring(BASE64_PREFIX.length(), value.length() - BASE64_SUFFIX.length()));
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<ObjectNode> mismatch(JsonNode id, String why) {
        return Optional.of(McpServer.headerMismatch(id, why));
    }
}
