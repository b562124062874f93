package io.wharf.copy;

import java.time.Duration;

/**
 * Why an attempt at a job failed, in an operator's words, whichever side failed: the legacy fetch (a status, a
 * broken body, a refused address) or the write to S3. {@code reason} is the job's failure_reason; {@code permanent}
 * when trying again cannot help; {@code retryAfter} a server's Retry-After, if it named one.
 */
public final class CopyFailure extends Exception {

    /** S3 could not be reached or answered 5xx: the S3 circuit opens, and the attempt does not count. */
    public static final String S3_UNAVAILABLE = "s3_unavailable";
    /** The legacy origin took no connection: its circuit opens, and the attempt does not count. */
    public static final String HOST_UNREACHABLE = "host_unreachable";

    private final String reason;
    private final boolean permanent;
    private final Duration retryAfter;

    public CopyFailure(String reason, String message, boolean permanent, Duration retryAfter) {
        super(message, null, false, false);
        this.reason = reason;
        this.permanent = permanent;
        this.retryAfter = retryAfter;
    }

    public String reason() {
        return reason;
    }

    public boolean permanent() {
        return permanent;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** A message as error_message keeps it, and as a header value is quoted in one: at most 2,000 characters. */
    public static String clip(String message) {
        return message == null || message.length() <= 2000 ? message : message.substring(0, 2000) + "...";
    }
}
