package io.wharf.clientconfig;

import java.util.Arrays;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.document.DocumentIds;
import io.wharf.common.document.DocumentResponses;
import io.wharf.common.document.ListParams;
import io.wharf.common.web.DocumentBody;
import io.wharf.common.web.JsonText;
import io.wharf.common.web.Page;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/demo/clients")
@Produces(MediaType.APPLICATION_JSON)
@DocumentBody
@Tag(name = "Client configs")
public class ClientConfigResource {

    /** Names this list in its cursors, so that another list refuses them. */
    private static final String CURSORS = "demo_clients";

    private final ClientConfigService service;

    ClientConfigResource(ClientConfigService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates a client config; 409 if the client_id exists")
    public Response create(@Valid @NotNull ClientConfigRequest request) {
        ClientConfig c = service.create(request);
        return DocumentResponses.created(c, view(c), "/demo/clients/" + c.id);
    }

    @GET
    @Operation(summary = "Lists client configs, oldest first, filtered by license_type, module and creation time")
    public Page<JsonText> list(@BeanParam @Valid ListParams params, @QueryParam("license_type") String licenseType,
            @QueryParam("module") String module) {
        ObjectNode contains = JsonNodeFactory.instance.objectNode();
        if (licenseType != null) {
            if (Arrays.stream(ClientConfigRequest.LicenseType.values()).noneMatch(l -> l.name().equals(licenseType))) {
                throw DocumentIds.invalid("license_type", "must be one of basic, professional, enterprise");
            }
            contains.put("license_type", licenseType);
        }
        if (module != null) {
            contains.putArray("modules").add(ListParams.text("module", module));
        }
        return DocumentResponses.page(CURSORS, service.list(params.toQuery(CURSORS, contains)), params.limit(), ClientConfigResource::view);
    }

    @GET
    @Path("/{client_id}")
    public Response get(@PathParam("client_id") String clientId) {
        ClientConfig c = service.get(clientId);
        return DocumentResponses.ok(c, view(c));
    }

    @PUT
    @Path("/{client_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replaces a client config; send If-Match with the ETag to refuse lost updates (412)")
    public Response replace(@PathParam("client_id") String clientId, @HeaderParam("If-Match") String ifMatch,
            @Valid @NotNull ClientConfigRequest request) {
        ClientConfig c = service.replace(clientId, ifMatch, request);
        return DocumentResponses.ok(c, view(c));
    }

    @DELETE
    @Path("/{client_id}")
    public Response delete(@PathParam("client_id") String clientId, @HeaderParam("If-Match") String ifMatch) {
        service.delete(clientId, ifMatch);
        return Response.noContent().build();
    }

    static JsonText view(ClientConfig c) {
        return DocumentResponses.body(c, "client_id", c.data);
    }
}
