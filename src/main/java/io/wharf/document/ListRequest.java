package io.wharf.document;

import java.util.Map;

/**
 * A list as a caller asks for it, every value as text: the filters by their parameter names, the creation-time
 * bounds, the cursor and the page size. The service checks each one and turns it into SQL; callers never see
 * the database's shape.
 */
public record ListRequest(Map<String, String> filters, String createdAfter, String createdBefore, String cursor, String limit) {

    public ListRequest {
        filters = Map.copyOf(filters);
    }

    /** The first page of everything, newest documents last. */
    public static ListRequest all(int limit) {
        return new ListRequest(Map.of(), null, null, null, String.valueOf(limit));
    }
}
