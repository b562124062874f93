package io.wharf.clientconfig;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wharf.document.DocumentResource;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

@Path("/demo/clients")
@Tag(name = "Client configs")
public class ClientConfigResource extends DocumentResource<ClientConfigRequest> {

    ClientConfigResource(ClientConfigService service) {
        super(service);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Deletes a client config; 409 while proposals name it")
    public Response delete(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        return remove(id, ifMatch);
    }
}
