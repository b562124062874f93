package io.wharf.common.error;

import java.util.List;
import java.util.Map;

/** A failure the client should hear about, carrying its error code and any extra problem members. */
public class WharfException extends RuntimeException {

    /** Extension member that ProblemMapper also sends as the Retry-After header. */
    public static final String RETRY_AFTER_SECONDS = "retry_after_seconds";

    private final ErrorCode code;
    private final transient Map<String, Object> extensions;

    public WharfException(ErrorCode code, String detail) {
        this(code, detail, Map.of());
    }

    public WharfException(ErrorCode code, String detail, Map<String, Object> extensions) {
        super(detail);
        this.code = code;
        this.extensions = Map.copyOf(extensions);
    }

    /** A 400 naming one invalid field or parameter, in the {@code errors} member that lists every one. */
    public static WharfException invalid(String field, String message) {
        return new WharfException(ErrorCode.VALIDATION_FAILED, field + ": " + message,
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
