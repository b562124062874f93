package io.wharf.connector;

import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of one connection test. {@code target} describes where Wharf connected, without secrets,
 * for the action log.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionTestResult(String status, String message, long latency_ms, OffsetDateTime tested_at, String provider,
        @JsonIgnore Map<String, Object> target) {

    public static final String SUCCESS = "success";
    public static final String FAILED = "failed";
    public static final String TIMEOUT = "timeout";

    static ConnectionTestResult of(String status, String message, long startedNanos, String provider, Map<String, Object> target) {
        return new ConnectionTestResult(status, message, (System.nanoTime() - startedNanos) / 1_000_000, OffsetDateTime.now(), provider, target);
    }
}
