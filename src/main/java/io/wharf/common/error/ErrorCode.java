package io.wharf.common.error;

/**
 * Every error a client can see. The slug becomes the problem's {@code type} URI, so clients can branch
 * on it without parsing prose.
 */
public enum ErrorCode {
    BAD_REQUEST(400, "bad-request", "Bad request"),
    MALFORMED_JSON(400, "malformed-json", "Malformed JSON"),
    VALIDATION_FAILED(400, "validation-failed", "Validation failed"),
    UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
    FORBIDDEN(403, "forbidden", "Forbidden"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    CONFLICT(409, "conflict", "Conflict"),
    PRECONDITION_FAILED(412, "precondition-failed", "Precondition failed"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    IDEMPOTENCY_KEY_REUSED(422, "idempotency-key-reused", "Idempotency key reused"),
    TOO_MANY_REQUESTS(429, "too-many-requests", "Too many requests"),
    SCHEMA_INCOMPLETE(503, "schema-incomplete", "Schema incomplete"),
    SERVICE_UNAVAILABLE(503, "service-unavailable", "Service unavailable"),
    DATABASE_UNAVAILABLE(503, "database-unavailable", "Database unavailable"),
    STORAGE_UNAVAILABLE(503, "storage-unavailable", "Storage unavailable"),
    INTERNAL(500, "internal", "Internal error");

    public static final String TYPE_BASE = "https://wharf.io/problems/";

    private final int status;
    private final String slug;
    private final String title;

    ErrorCode(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String type() {
        return TYPE_BASE + slug;
    }

    public String title() {
        return title;
    }

    public static ErrorCode forStatus(int status) {
        for (ErrorCode c : values()) {
            if (c.status == status) {
                return c;
            }
        }
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }
}
