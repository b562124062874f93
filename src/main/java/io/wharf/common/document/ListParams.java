package io.wharf.common.document;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.common.web.PageCursor;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

/** Paging and creation-time filters that every document list accepts. */
public class ListParams {

    @QueryParam("created_after")
    String createdAfter;

    @QueryParam("created_before")
    String createdBefore;

    @QueryParam("limit")
    @DefaultValue("50")
    @Min(1)
    @Max(200)
    int limit;

    @QueryParam("cursor")
    String cursor;

    public int limit() {
        return limit;
    }

    public DocumentRepository.ListQuery toQuery(ObjectNode contains) {
        return new DocumentRepository.ListQuery(contains, timestamp("created_after", createdAfter),
                timestamp("created_before", createdBefore), cursor == null || cursor.isBlank() ? null : PageCursor.decode(cursor), limit);
    }

    public static OffsetDateTime timestamp(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new WharfException(ErrorCode.VALIDATION_FAILED, name + " must be an ISO-8601 timestamp with offset, e.g. 2025-01-31T00:00:00Z",
                    Map.of("errors", java.util.List.of(Map.of("field", name, "message", "must be an ISO-8601 timestamp with offset"))));
        }
    }
}
