package io.wharf.proposal;

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

@Path("/demo/proposals")
@Produces(MediaType.APPLICATION_JSON)
@DocumentBody
@Tag(name = "Service proposals")
public class ProposalResource {

    /** Names this list in its cursors, so that another list refuses them. */
    private static final String CURSORS = "demo_proposals";

    private final ProposalService service;

    ProposalResource(ProposalService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates a draft proposal for an existing client config")
    public Response create(@Valid @NotNull ProposalRequest request) {
        ServiceProposal p = service.create(request);
        return DocumentResponses.created(p, view(p), "/demo/proposals/" + p.id);
    }

    @GET
    @Operation(summary = "Lists proposals, oldest first, filtered by client_id, status, proposal_type and creation time")
    public Page<JsonText> list(@BeanParam @Valid ListParams params, @QueryParam("client_id") String clientId,
            @QueryParam("status") String status, @QueryParam("proposal_type") String proposalType) {
        ObjectNode contains = JsonNodeFactory.instance.objectNode();
        if (clientId != null) {
            contains.put("client_id", ListParams.text("client_id", clientId));
        }
        if (status != null) {
            try {
                contains.put("status", ProposalStatus.valueOf(status).name());
            } catch (IllegalArgumentException e) {
                throw DocumentIds.invalid("status", "must be one of draft, sent, accepted, rejected");
            }
        }
        if (proposalType != null) {
            contains.put("proposal_type", ListParams.text("proposal_type", proposalType));
        }
        return DocumentResponses.page(CURSORS, service.list(params.toQuery(CURSORS, contains)), params.limit(), ProposalResource::view);
    }

    @GET
    @Path("/{proposal_id}")
    public Response get(@PathParam("proposal_id") String proposalId) {
        ServiceProposal p = service.get(proposalId);
        return DocumentResponses.ok(p, view(p));
    }

    @PUT
    @Path("/{proposal_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replaces a proposal; status moves only draft -> sent -> accepted or rejected (409 otherwise)")
    public Response replace(@PathParam("proposal_id") String proposalId, @HeaderParam("If-Match") String ifMatch,
            @Valid @NotNull ProposalRequest request) {
        ServiceProposal p = service.replace(proposalId, ifMatch, request);
        return DocumentResponses.ok(p, view(p));
    }

    static JsonText view(ServiceProposal p) {
        return DocumentResponses.body(p, "proposal_id", p.data);
    }
}
