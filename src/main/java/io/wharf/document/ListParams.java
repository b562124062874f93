package io.wharf.document;

import java.util.HashMap;
import java.util.Map;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

/**
 * The query parameters of a document list, as text: paging and creation-time bounds, which every list
 * accepts, and whichever filters its {@link DocumentType} names. Nothing is checked here; the service does.
 */
public class ListParams {

    @QueryParam("created_after")
    String createdAfter;

    @QueryParam("created_before")
    String createdBefore;

    @QueryParam("limit")
    String limit;

    @QueryParam("cursor")
    String cursor;

    @Context
    UriInfo uri;

    public ListRequest toRequest(DocumentType type) {
        Map<String, String> filters = new HashMap<>();
        for (ListFilter filter : type.filters()) {
            String value = uri == null ? null : uri.getQueryParameters().getFirst(filter.param());
            if (value != null) {
                filters.put(filter.param(), value);
            }
        }
        return new ListRequest(filters, createdAfter, createdBefore, cursor, limit);
    }
}
