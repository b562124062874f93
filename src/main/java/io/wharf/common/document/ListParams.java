package io.wharf.common.document;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.common.web.PageCursor;
import jakarta.ws.rs.QueryParam;

/**
 * Paging and creation-time filters that every document list accepts. Every parameter is checked here,
 * before a query is built: what PostgreSQL would refuse (NUL characters, timestamps outside its range,
 * numbers that overflow) is the client's mistake, answered 400 naming the parameter.
 */
public class ListParams {

    public static final int MAX_LIMIT = 200;

    @QueryParam("created_after")
    String createdAfter;

    @QueryParam("created_before")
    String createdBefore;

    /** Text, not int: a value that is no number is the client's mistake (400), not a missing resource (404). */
    @QueryParam("limit")
    String limit;

    @QueryParam("cursor")
    String cursor;

    public int limit() {
        return limit("limit", limit, 50, MAX_LIMIT);
    }

    /** {@code list} names the endpoint: a cursor written by another list is a 400. */
    public DocumentRepository.ListQuery toQuery(String list, ObjectNode contains) {
        return new DocumentRepository.ListQuery(contains, timestamp("created_after", createdAfter),
                timestamp("created_before", createdBefore), cursor == null || cursor.isBlank() ? null : PageCursor.decode(cursor, list),
                limit());
    }

    /** A page size from 1 to max; {@code fallback} when absent. */
    public static int limit(String name, String value, int fallback, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim();
        if (v.matches("\\d{1,9}")) {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) {
                return n;
            }
        }
        throw DocumentIds.invalid(name, "must be a whole number from 1 to " + max);
    }

    /** A filter value as given, refused when PostgreSQL could not compare it (it cannot hold NUL characters). */
    public static String text(String name, String value) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw DocumentIds.invalid(name, "must not contain the NUL character (%00)");
        }
        return value;
    }

    public static OffsetDateTime timestamp(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        OffsetDateTime t;
        try {
            t = OffsetDateTime.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new WharfException(ErrorCode.VALIDATION_FAILED, name + " must be an ISO-8601 timestamp with offset, e.g. 2025-01-31T00:00:00Z",
                    Map.of("errors", List.of(Map.of("field", name, "message", "must be an ISO-8601 timestamp with offset"))));
        }
        if (!PageCursor.storable(t)) {
            throw DocumentIds.invalid(name, "must be between " + PageCursor.EARLIEST + " and " + PageCursor.LATEST);
        }
        return t;
    }
}
