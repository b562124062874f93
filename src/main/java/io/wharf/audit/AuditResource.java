package io.wharf.audit;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wharf.common.web.Page;
import io.wharf.common.web.PageCursor;
import io.wharf.common.web.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Parameters are taken as text and checked here, so that every mistake is a 400 naming the parameter. */
@Path("/api/admin/audit")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
public class AuditResource {

    static final int MAX_LIMIT = 500;
    /** Names this list in its cursors, so that a document list refuses them (and this one refuses theirs). */
    private static final String CURSORS = "audit";

    private final AuditRepository repository;

    AuditResource(AuditRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(summary = "The audit trail, newest first, filtered and paged with an opaque cursor")
    public Page<AuditView> search(@QueryParam("tenantId") String tenantId, @QueryParam("action") String action,
            @QueryParam("resourceType") String resourceType, @QueryParam("resourceId") String resourceId,
            @QueryParam("userId") String userId, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        int size = QueryParams.limit("limit", limit, 50, MAX_LIMIT);
        var filter = new AuditRepository.Filter(QueryParams.uuid("tenantId", tenantId), QueryParams.text("action", action),
                QueryParams.text("resourceType", resourceType), QueryParams.text("resourceId", resourceId), QueryParams.text("userId", userId),
                QueryParams.timestamp("from", from), QueryParams.timestamp("to", to));
        return Page.of(repository.search(filter, position(cursor), size), size, CURSORS, a -> new PageCursor(a.createdAt, a.id.toString()),
                AuditView::of);
    }

    /** Audit cursors name an audit row's UUID; a document list's cursor (or any other) is not one. */
    private static PageCursor position(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        PageCursor c = PageCursor.decode(cursor, CURSORS);
        if (QueryParams.uuidOrNull(c.id()) == null) {
            throw PageCursor.invalid();
        }
        return c;
    }
}
