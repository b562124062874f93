package io.wharf.tenant;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wharf.common.web.CurrentCaller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/admin/tenants")
@RolesAllowed(Scope.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tenants and API keys")
public class TenantResource {

    /** An answer that carries a key's plain text must not be kept by any cache or proxy on the way. */
    static final String NO_STORE = "no-store";

    private final TenantService tenants;
    private final ApiKeyService keys;
    private final CurrentCaller caller;

    TenantResource(TenantService tenants, ApiKeyService keys, CurrentCaller caller) {
        this.tenants = tenants;
        this.keys = keys;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates a tenant and its first API key (shown once)")
    public Response create(@Valid @NotNull TenantRequests.CreateTenant request) {
        TenantRequests.TenantCreated created = tenants.create(caller.actor(), request);
        return Response.created(URI.create("/api/admin/tenants/" + created.tenant().id())).entity(created)
                .header("Cache-Control", NO_STORE).build();
    }

    @GET
    public List<TenantView> list() {
        return tenants.list().stream().map(TenantView::of).toList();
    }

    @GET
    @Path("/{id}")
    public TenantView get(@PathParam("id") UUID id) {
        return TenantView.of(tenants.get(id));
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Renames, deactivates (active=false) or reactivates a tenant")
    @Path("/{id}")
    public TenantView update(@PathParam("id") UUID id, @Valid @NotNull TenantRequests.UpdateTenant request) {
        return TenantView.of(tenants.update(id, caller.actor(), request));
    }

    @GET
    @Path("/{id}/keys")
    public List<KeyView> listKeys(@PathParam("id") UUID id) {
        return keys.list(id).stream().map(KeyView::of).toList();
    }

    @POST
    @Path("/{id}/keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issues a new API key (shown once)")
    public Response issueKey(@PathParam("id") UUID id, @Valid @NotNull TenantRequests.CreateKey request) {
        ApiKeyService.Issued issued = keys.issue(id, caller.actor(), request.name(), request.scopesOrDefault(), request.expiresAt());
        return Response.created(URI.create("/api/admin/tenants/" + id + "/keys/" + issued.key().id))
                .entity(KeyView.of(issued.key(), issued.plainText()))
                .header("Cache-Control", NO_STORE).build();
    }

    @POST
    @Path("/{id}/keys/{keyId}/rotate")
    @Operation(summary = "Issues a successor with the same name and scopes; the old key stays valid until revoked")
    public Response rotate(@PathParam("id") UUID id, @PathParam("keyId") UUID keyId) {
        ApiKeyService.Issued issued = keys.rotate(id, caller.actor(), keyId);
        return Response.created(URI.create("/api/admin/tenants/" + id + "/keys/" + issued.key().id))
                .entity(KeyView.of(issued.key(), issued.plainText()))
                .header("Cache-Control", NO_STORE).build();
    }

    @DELETE
    @Path("/{id}/keys/{keyId}")
    @Operation(summary = "Revokes a key; it stops working on the next request")
    public KeyView revoke(@PathParam("id") UUID id, @PathParam("keyId") UUID keyId) {
        return KeyView.of(keys.revoke(id, caller.actor(), keyId));
    }
}
