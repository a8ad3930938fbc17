package org.chroma402.server.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered with the JSON envelope {@code {"error", "error_code", "suggestion"}}, the code
 * repeated in {@code X-Error-Code}. Every error the API gives is one of these.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String suggestion;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(int status, String code, String message, String suggestion) {
        super(message);
        this.status = status;
        this.code = code;
        this.suggestion = suggestion;
    }

    public ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String suggestion() {
        return suggestion;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException badRequest(String code, String message, String suggestion) {
        return new ApiException(400, code, message, suggestion);
    }

    public static ApiException unavailable(String code, String message, String suggestion, long retryAfterSeconds) {
        return new ApiException(503, code, message, suggestion).header("Retry-After", Long.toString(retryAfterSeconds));
    }
}
