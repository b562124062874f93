package io.wharf.document;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.web.PageCursor;
import io.wharf.common.web.QueryParams;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

/**
 * The query of a document list: paging and creation-time bounds, which every list accepts, and the filters
 * its {@link DocumentType} names. Every parameter is checked before a query is built.
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

    @Context
    UriInfo uri;

    public int limit() {
        return QueryParams.limit("limit", limit, 50, MAX_LIMIT);
    }

    /** The type's filters first, then the bounds, cursor and page size; a cursor written by another list is a 400. */
    public DocumentRepository.ListQuery toQuery(DocumentType type) {
        ObjectNode contains = JsonNodeFactory.instance.objectNode();
        for (ListFilter filter : type.filters()) {
            filter.apply(uri == null ? null : uri.getQueryParameters().getFirst(filter.param()), contains);
        }
        return new DocumentRepository.ListQuery(contains, QueryParams.timestamp("created_after", createdAfter),
                QueryParams.timestamp("created_before", createdBefore),
                cursor == null || cursor.isBlank() ? null : PageCursor.decode(cursor, type.cursors()), limit());
    }
}
