package io.wharf.common.error;

import java.io.IOException;

/**
 * A body over the service-wide ceiling, thrown from the body's stream while it is read: an I/O failure to the JSON
 * parser, so that it does not take it for malformed JSON. The problem mapper answers it as a 413 without logging.
 */
public final class BodyTooLarge extends IOException {
    private final long limit;

    public BodyTooLarge(long limit) {
        super("request body over " + limit + " bytes", null);
        this.limit = limit;
    }

    public WharfException problem() {
        return new WharfException(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is more than " + limit
                + " bytes; this service accepts at most " + limit + " bytes (quarkus.http.limits.max-body-size).");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // a client's doing, never logged with a trace
    }
}
