package org.chroma402.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/** Writes JSON responses with one shared mapper, independent of Javalin's own JSON support. */
final class JsonBodies {
    /**
     * Request bodies are read strictly: nothing may follow the JSON value (a second object or
     * garbage after it was accepted), and decimals are kept as written (as doubles,
     * 1.999999999999999999999 became 2 and 1e-400 became 0, passing the two-decimals rule of
     * {@code saturation} and buying a strength the client never wrote).
     */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static {
        // Jackson caps strings at 20 million characters by default, below the base64 of an image at
        // the documented 20 MiB limit (28 million): such photos were refused as invalid JSON. Every
        // body is already bounded by the request size limit (limits.max-image-bytes in base64, plus
        // room), so a string can never be longer than that; nesting stays shallow as ours is.
        MAPPER.getFactory().setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE).maxNestingDepth(64).build());
    }

    private JsonBodies() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json; charset=utf-8").result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends bytes of a binary type, without the charset Jetty would otherwise append. */
    static void binary(Context ctx, String mediaType, byte[] bytes) {
        ctx.res().setCharacterEncoding(null);
        ctx.res().setContentType(mediaType);
        ctx.result(bytes);
    }

    static ObjectNode error(ApiException e) {
        ObjectNode body = object();
        body.put("error", e.getMessage());
        body.put("error_code", e.code());
        body.put("suggestion", e.suggestion());
        return body;
    }
}
