package io.wharf.common.error;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.wharf.common.db.SqlFailures;
import jakarta.ws.rs.core.Response;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Failures that are the client's to retry rather than bugs of ours: the database out of reach (refused
 * or dropped connections, an administrator or crash shutdown, a pool that cannot hand out a connection),
 * wherever it was wrapped, and a key check with no capacity left. They are answered 503 with Retry-After
 * and logged as one WARN line at most every few seconds instead of an ERROR with a stack per request.
 */
final class TransientFailure {

    static final String RETRY_AFTER_SECONDS = "5";
    private static final Logger LOG = Logger.getLogger(TransientFailure.class);
    private static final long LOG_EVERY_NANOS = 5_000_000_000L;
    private static final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private static final AtomicLong unlogged = new AtomicLong();

    private TransientFailure() {
    }

    static boolean retryable(ErrorCode code) {
        return code == ErrorCode.SERVICE_UNAVAILABLE || code == ErrorCode.DATABASE_UNAVAILABLE;
    }

    static Response withRetryAfter(Response problem) {
        return Response.fromResponse(problem).header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    /**
     * The problem answer of a Wharf exception, with Retry-After when the client should retry: the seconds the
     * exception names ({@code retry_after_seconds}), else the default for retryable codes.
     */
    static Response problem(WharfException e, String path) {
        Response problem = Problem.of(e, path).toResponse();
        Object seconds = e.extensions().get(WharfException.RETRY_AFTER_SECONDS);
        if (seconds == null && retryable(e.code())) {
            seconds = RETRY_AFTER_SECONDS;
        }
        return seconds == null ? problem : Response.fromResponse(problem).header("Retry-After", seconds.toString()).build();
    }

    /**
     * The answer for a failure the client should retry (database out of reach, no capacity to check a key),
     * also when it surfaced wrapped in an authentication failure; null for every other failure.
     */
    static Response answer(Throwable e, String path) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WharfException w && retryable(w.code())) {
                return problem(w, path);
            }
        }
        if (causedByStorage(e)) {
            log(path, e);
            return withRetryAfter(Problem.of(ErrorCode.STORAGE_UNAVAILABLE, "File storage (S3) cannot be reached at the moment; retry shortly.",
                    path, Map.of()).toResponse());
        }
        if (!SqlFailures.databaseUnreachable(e)) {
            return null;
        }
        log(path, e);
        return withRetryAfter(Problem.of(ErrorCode.DATABASE_UNAVAILABLE, "The database cannot be reached at the moment; retry shortly.",
                path, Map.of()).toResponse());
    }

    /** S3 out of reach (no connection, timeouts) or answering with a server error or SlowDown. */
    static boolean causedByStorage(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof SdkClientException) {
                return true;
            }
            if (t instanceof AwsServiceException s && (s.statusCode() >= 500 || s.statusCode() == 429)) {
                return true;
            }
        }
        return false;
    }

    private static void log(String path, Throwable e) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            LOG.warnf("Database or storage unreachable, answering 503 (%s on %s, %d more since the last line)", root.getMessage(), path,
                    unlogged.getAndSet(0));
        } else {
            unlogged.incrementAndGet();
        }
    }
}
