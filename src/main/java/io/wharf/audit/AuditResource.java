package io.wharf.audit;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wharf.common.document.ListParams;
import io.wharf.common.web.Page;
import io.wharf.common.web.PageCursor;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/admin/audit")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
public class AuditResource {

    private final AuditRepository repository;

    AuditResource(AuditRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(summary = "The audit trail, newest first, filtered and paged with an opaque cursor")
    public Page<AuditView> search(@QueryParam("tenantId") UUID tenantId, @QueryParam("action") String action,
            @QueryParam("resourceType") String resourceType, @QueryParam("resourceId") String resourceId,
            @QueryParam("userId") String userId, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit, @QueryParam("cursor") String cursor) {
        var filter = new AuditRepository.Filter(tenantId, action, resourceType, resourceId, userId,
                ListParams.timestamp("from", from), ListParams.timestamp("to", to));
        return Page.of(repository.search(filter, cursor == null ? null : PageCursor.decode(cursor), limit), limit,
                a -> new PageCursor(a.createdAt, a.id.toString()), AuditView::of);
    }
}
