package io.wharf.proposal;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.audit.AuditService;
import io.wharf.clientconfig.ClientConfigService;
import io.wharf.common.document.DocumentIds;
import io.wharf.common.document.DocumentRepository;
import io.wharf.common.document.DocumentStore;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.common.web.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class ProposalService {

    private final DocumentStore<ServiceProposal> store;
    private final ClientConfigService clients;
    private final CurrentCaller caller;
    private final ObjectMapper mapper;

    ProposalService(ServiceProposalRepository repository, AuditService audit, ClientConfigService clients, CurrentCaller caller,
            ObjectMapper mapper) {
        this.store = new DocumentStore<>(repository, audit, ServiceProposal::new, "service_proposal", "Proposal");
        this.clients = clients;
        this.caller = caller;
        this.mapper = mapper;
    }

    @Transactional
    public ServiceProposal create(ProposalRequest request) {
        String id = DocumentIds.resolve("proposal_id", request.proposal_id(), null);
        requireClient(request.client_id());
        ProposalStatus status = request.status() == null ? ProposalStatus.draft : request.status();
        if (status != ProposalStatus.draft) {
            throw illegalMove(null, status);
        }
        return store.create(caller.tenantId(), id, data(request, status));
    }

    public ServiceProposal get(String proposalId) {
        return store.get(caller.tenantId(), proposalId);
    }

    public List<ServiceProposal> list(DocumentRepository.ListQuery query) {
        return store.list(caller.tenantId(), query);
    }

    @Transactional
    public ServiceProposal replace(String proposalId, String ifMatch, ProposalRequest request) {
        DocumentIds.resolve("proposal_id", request.proposal_id(), proposalId);
        return store.replace(caller.tenantId(), proposalId, ifMatch, "update", current -> {
            ProposalStatus from = ProposalStatus.valueOf(current.path("status").asText(ProposalStatus.draft.name()));
            ProposalStatus to = request.status() == null ? from : request.status();
            if (!from.canMoveTo(to)) {
                throw illegalMove(from, to);
            }
            requireClient(request.client_id());
            return data(request, to);
        });
    }

    private void requireClient(String clientId) {
        if (!clients.exists(clientId)) {
            throw DocumentIds.invalid("client_id", "no client config '" + clientId + "' exists; create it with POST /demo/clients first");
        }
    }

    private static WharfException illegalMove(ProposalStatus from, ProposalStatus to) {
        List<String> allowed = (from == null ? List.of(ProposalStatus.draft) : from.next()).stream().map(Enum::name).toList();
        String detail = from == null
                ? "A new proposal starts as draft, not " + to + "."
                : "A proposal cannot move from " + from + " to " + to + "; "
                        + (allowed.isEmpty() ? from + " is final." : "allowed: " + String.join(", ", allowed) + ".");
        return new WharfException(ErrorCode.CONFLICT, detail, Map.of("currentStatus", from == null ? "none" : from.name(), "allowed", allowed));
    }

    private ObjectNode data(ProposalRequest request, ProposalStatus status) {
        ObjectNode data = mapper.valueToTree(request);
        data.remove("proposal_id");
        data.put("status", status.name());
        return data;
    }
}
