package io.wharf.document;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.wharf.common.web.CurrentCaller;
import io.wharf.common.web.DocumentBody;
import io.wharf.common.web.JsonText;
import io.wharf.common.web.Page;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The HTTP side of a document type: the request's tenant and actor handed to its service, and the answer
 * written from the stored text. A subclass names its path, its body type R and any endpoint of its own
 * (delete, where the type allows it). The list's filters are the type's, documented by DocumentOpenApi.
 */
@Produces(MediaType.APPLICATION_JSON)
@DocumentBody
public abstract class DocumentResource<R> {

    @Inject
    protected CurrentCaller caller;

    private final DocumentService<R> service;

    protected DocumentResource(DocumentService<R> service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates a document; 409 if its id exists")
    public Response create(@Valid @NotNull R request) {
        StoredDocument doc = service.create(caller.tenantId(), caller.actor(), request);
        return DocumentResponses.created(service.type(), doc, view(doc));
    }

    @GET
    @Operation(summary = "Lists documents, oldest first, filtered by their fields and creation time, paged by cursor")
    public Page<JsonText> list(@BeanParam ListParams params) {
        return service.list(caller.tenantId(), params.toRequest(service.type())).map(this::view);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Reads a document; its version is the ETag")
    public Response get(@PathParam("id") String id) {
        StoredDocument doc = service.get(caller.tenantId(), id);
        return DocumentResponses.ok(doc, view(doc));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replaces a document; send If-Match with the ETag to refuse lost updates (412)")
    public Response replace(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, @Valid @NotNull R request) {
        StoredDocument doc = service.replace(caller.tenantId(), caller.actor(), id, ifMatch, request);
        return DocumentResponses.ok(doc, view(doc));
    }

    /** For a subclass's DELETE endpoint. */
    protected Response remove(String id, String ifMatch) {
        service.delete(caller.tenantId(), caller.actor(), id, ifMatch);
        return Response.noContent().build();
    }

    protected JsonText view(StoredDocument doc) {
        return DocumentResponses.body(service.type(), service.view(caller.tenantId(), doc));
    }
}
