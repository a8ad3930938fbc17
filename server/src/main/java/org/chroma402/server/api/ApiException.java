package org.chroma402.server.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered with the JSON envelope {@code {"error", "error_code", "suggestion"}}, the code
 * repeated in {@code X-Error-Code}. Every error the API gives is one of these, and its code is one
 * of the {@link ErrorCode}s.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final ErrorCode code;
    private final String suggestion;
    private final Map<String, String> headers = new LinkedHashMap<>();

    /** An error with the code's own status; {@code suggestion} says what to do in this case. */
    public ApiException(ErrorCode code, String message, String suggestion) {
        this(code.status(), code, message, suggestion);
    }

    /** An error with the code's general suggestion. */
    public ApiException(ErrorCode code, String message) {
        this(code, message, code.suggestion());
    }

    /** For statuses the web framework decided (a rare 4xx of its own), under a general code. */
    ApiException(int status, ErrorCode code, String message, String suggestion) {
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

    /** The wire form of the code, as {@link ErrorCode#code()}. */
    public String code() {
        return code.code();
    }

    public ErrorCode errorCode() {
        return code;
    }

    public String suggestion() {
        return suggestion;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException unavailable(ErrorCode code, String message, String suggestion, long retryAfterSeconds) {
        return new ApiException(code, message, suggestion).header("Retry-After", Long.toString(retryAfterSeconds));
    }
}
