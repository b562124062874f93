package io.wharf.connector;

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

@Path("/connector/profiles")
@Produces(MediaType.APPLICATION_JSON)
@DocumentBody
@Tag(name = "Connector profiles")
public class ConnectorResource {

    /** Names this list in its cursors, so that another list refuses them. */
    private static final String CURSORS = "connector_profiles";

    private final ConnectorService service;

    ConnectorResource(ConnectorService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates a profile; connection_string and credentials are encrypted and never returned")
    public Response create(@Valid @NotNull ConnectorProfileRequest request) {
        ConnectorProfile p = service.create(request);
        return DocumentResponses.created(p, view(p), "/connector/profiles/" + p.id);
    }

    @GET
    @Operation(summary = "Lists profiles, oldest first, filtered by type, name, test_status and creation time")
    public Page<JsonText> list(@BeanParam @Valid ListParams params, @QueryParam("type") String type, @QueryParam("name") String name,
            @QueryParam("test_status") String testStatus) {
        ObjectNode contains = JsonNodeFactory.instance.objectNode();
        if (type != null) {
            if (!type.matches("sql|api|excel")) {
                throw DocumentIds.invalid("type", "must be one of sql, api, excel");
            }
            contains.put("type", type);
        }
        if (name != null) {
            contains.put("name", ListParams.text("name", name));
        }
        if (testStatus != null) {
            contains.put("test_status", ListParams.text("test_status", testStatus));
        }
        return DocumentResponses.page(CURSORS, service.list(params.toQuery(CURSORS, contains)), params.limit(), this::view);
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        ConnectorProfile p = service.get(id);
        return DocumentResponses.ok(p, view(p));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replaces a profile; send If-Match with the ETag to refuse lost updates (412)")
    public Response replace(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, @Valid @NotNull ConnectorProfileRequest request) {
        ConnectorProfile p = service.replace(id, ifMatch, request);
        return DocumentResponses.ok(p, view(p));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        service.delete(id, ifMatch);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Really connects (SQL: SELECT 1; API: GET) and records test_status and last_tested")
    public ConnectionTestResult test(@PathParam("id") String id) {
        return service.test(id);
    }

    private JsonText view(ConnectorProfile p) {
        return DocumentResponses.body(p, "id", service.view(p));
    }
}
