package io.wharf.connector;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wharf.document.DocumentResource;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

@Path("/connector/profiles")
@Tag(name = "Connector profiles")
public class ConnectorResource extends DocumentResource<ConnectorProfileRequest> {

    private final ConnectorService service;

    ConnectorResource(ConnectorService service) {
        super(service);
        this.service = service;
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Deletes a profile and its encrypted secrets")
    public Response delete(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        return remove(id, ifMatch);
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Really connects (SQL: SELECT 1; API: GET) and records test_status and last_tested")
    public ConnectionTestResult test(@PathParam("id") String id) {
        return service.test(caller.tenantId(), caller.actor(), id);
    }
}
