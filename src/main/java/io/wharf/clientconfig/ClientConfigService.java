package io.wharf.clientconfig;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.audit.AuditService;
import io.wharf.common.document.DocumentIds;
import io.wharf.common.document.DocumentRepository;
import io.wharf.common.document.DocumentStore;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.common.web.CurrentCaller;
import io.wharf.proposal.ServiceProposalRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class ClientConfigService {

    /** How many of the proposals that name a client config a refused delete lists. */
    static final int NAMED_PROPOSALS = 10;

    private final DocumentStore<ClientConfig> store;
    private final ClientConfigRepository repository;
    private final ServiceProposalRepository proposals;
    private final CurrentCaller caller;
    private final ObjectMapper mapper;

    ClientConfigService(ClientConfigRepository repository, ServiceProposalRepository proposals, AuditService audit, CurrentCaller caller,
            ObjectMapper mapper) {
        this.store = new DocumentStore<>(repository, audit, ClientConfig::new, "client_config", "Client config");
        this.repository = repository;
        this.proposals = proposals;
        this.caller = caller;
        this.mapper = mapper;
    }

    @Transactional
    public ClientConfig create(ClientConfigRequest request) {
        String id = DocumentIds.resolve("client_id", request.client_id(), null);
        return store.create(caller.tenantId(), id, data(request));
    }

    public ClientConfig get(String clientId) {
        return store.get(caller.tenantId(), clientId);
    }

    /**
     * Whether the caller's tenant has this client; proposals must name one. The client stays locked (shared)
     * until the caller's transaction ends, so a concurrent delete waits and then sees the new proposal.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean exists(String clientId) {
        return clientId != null && clientId.indexOf('\u0000') < 0 && repository.existsLocked(caller.tenantId(), clientId);
    }

    public List<ClientConfig> list(DocumentRepository.ListQuery query) {
        return store.list(caller.tenantId(), query);
    }

    @Transactional
    public ClientConfig replace(String clientId, String ifMatch, ClientConfigRequest request) {
        DocumentIds.resolve("client_id", request.client_id(), clientId);
        return store.replace(caller.tenantId(), clientId, ifMatch, data(request));
    }

    /** Refused (409, naming them) while proposals name the client: they would point at nothing. */
    @Transactional
    public void delete(String clientId, String ifMatch) {
        UUID tenant = caller.tenantId();
        store.delete(tenant, clientId, ifMatch, client -> {
            ObjectNode naming = mapper.createObjectNode().put("client_id", clientId);
            List<String> ids = proposals.idsContaining(tenant, naming, NAMED_PROPOSALS + 1);
            if (!ids.isEmpty()) {
                boolean more = ids.size() > NAMED_PROPOSALS;
                List<String> named = more ? ids.subList(0, NAMED_PROPOSALS) : ids;
                throw new WharfException(ErrorCode.CONFLICT, "Client config '" + clientId + "' is named by proposals " + String.join(", ", named)
                        + (more ? " and more" : "") + "; delete or move them first.", Map.of("proposalIds", List.copyOf(named), "more", more));
            }
        });
    }

    private ObjectNode data(ClientConfigRequest request) {
        ObjectNode data = mapper.valueToTree(request);
        data.remove("client_id");
        return data;
    }
}
