package io.wharf.proposal;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.clientconfig.ClientConfigRemoval;
import io.wharf.clientconfig.ClientConfigService;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.document.DocumentService;
import io.wharf.document.DocumentStore;
import io.wharf.document.DocumentType;
import io.wharf.document.ListFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Proposals name a client config of their tenant and move only forwards through their statuses. */
@ApplicationScoped
public class ProposalService extends DocumentService<ProposalRequest> {

    public static final DocumentType TYPE = new DocumentType("service_proposals", "proposal_id", "proposal_data", "proposal_id",
            "service_proposal", "Proposal", "/demo/proposals", List.of(ListFilter.text("client_id"), ListFilter.oneOf("status", ProposalStatus.class),
                    ListFilter.oneOf("proposal_type", ProposalRequest.ProposalType.class)));

    /** How many of the proposals that name a client config a refused delete lists. */
    static final int NAMED_PROPOSALS = 10;

    private final ClientConfigService clients;

    ProposalService(DocumentStore store, ObjectMapper mapper, ClientConfigService clients) {
        super(TYPE, store, mapper);
        this.clients = clients;
    }

    @Override
    protected ObjectNode onCreate(UUID tenantId, String id, ObjectNode data) {
        requireClient(tenantId, data);
        ProposalStatus status = status(data, ProposalStatus.draft);
        if (status != ProposalStatus.draft) {
            throw illegalMove(null, status);
        }
        return data.put("status", status.name());
    }

    @Override
    protected ObjectNode onReplace(UUID tenantId, String id, ObjectNode current, ObjectNode requested) {
        ProposalStatus from = status(current, ProposalStatus.draft);
        ProposalStatus to = status(requested, from);
        if (!from.canMoveTo(to)) {
            throw illegalMove(from, to);
        }
        requireClient(tenantId, requested);
        return requested.put("status", to.name());
    }

    /** A client config is not deleted while proposals name it: they would point at nothing (409, naming them). */
    void refuseWhileNamed(@Observes ClientConfigRemoval removal) {
        ObjectNode naming = mapper.createObjectNode().put("client_id", removal.clientId());
        List<String> ids = store.idsContaining(TYPE, removal.tenantId(), naming, NAMED_PROPOSALS + 1);
        if (!ids.isEmpty()) {
            boolean more = ids.size() > NAMED_PROPOSALS;
            List<String> named = more ? ids.subList(0, NAMED_PROPOSALS) : ids;
            throw new WharfException(ErrorCode.CONFLICT, "Client config '" + removal.clientId() + "' is named by proposals "
                    + String.join(", ", named) + (more ? " and more" : "") + "; delete or move them first.",
                    Map.of("proposalIds", List.copyOf(named), "more", more));
        }
    }

    private void requireClient(UUID tenantId, ObjectNode data) {
        String clientId = data.path("client_id").asText(null);
        if (!clients.exists(tenantId, clientId)) {
            throw WharfException.invalid("client_id", "no client config '" + clientId + "' exists; create it with POST /demo/clients first");
        }
    }

    /** The status a document names; a stored one that Wharf did not write counts as {@code absent}. */
    private static ProposalStatus status(ObjectNode data, ProposalStatus absent) {
        String name = data.path("status").asText(null);
        return name == null ? absent : ProposalStatus.valueOf(name);
    }

    private static WharfException illegalMove(ProposalStatus from, ProposalStatus to) {
        List<String> allowed = (from == null ? List.of(ProposalStatus.draft) : from.next()).stream().map(Enum::name).toList();
        String detail = from == null
                ? "A new proposal starts as draft, not " + to + "."
                : "A proposal cannot move from " + from + " to " + to + "; "
                        + (allowed.isEmpty() ? from + " is final." : "allowed: " + String.join(", ", allowed) + ".");
        return new WharfException(ErrorCode.CONFLICT, detail, Map.of("currentStatus", from == null ? "none" : from.name(), "allowed", allowed));
    }
}
