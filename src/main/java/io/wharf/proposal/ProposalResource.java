package io.wharf.proposal;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wharf.document.DocumentResource;
import jakarta.ws.rs.Path;

/** Proposals are never deleted: a decided proposal is a record of what was offered. */
@Path("/demo/proposals")
@Tag(name = "Service proposals")
public class ProposalResource extends DocumentResource<ProposalRequest> {

    ProposalResource(ProposalService service) {
        super(service);
    }
}
