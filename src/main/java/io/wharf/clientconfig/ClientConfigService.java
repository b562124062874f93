package io.wharf.clientconfig;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.audit.AuditService;
import io.wharf.common.document.DocumentIds;
import io.wharf.common.document.DocumentRepository;
import io.wharf.common.document.DocumentStore;
import io.wharf.common.web.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class ClientConfigService {

    private final DocumentStore<ClientConfig> store;
    private final CurrentCaller caller;
    private final ObjectMapper mapper;

    ClientConfigService(ClientConfigRepository repository, AuditService audit, CurrentCaller caller, ObjectMapper mapper) {
        this.store = new DocumentStore<>(repository, audit, ClientConfig::new, "client_config", "Client config");
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

    /** Whether the caller's tenant has this client; proposals must name one. */
    public boolean exists(String clientId) {
        return store.exists(caller.tenantId(), clientId);
    }

    public List<ClientConfig> list(DocumentRepository.ListQuery query) {
        return store.list(caller.tenantId(), query);
    }

    @Transactional
    public ClientConfig replace(String clientId, String ifMatch, ClientConfigRequest request) {
        DocumentIds.resolve("client_id", request.client_id(), clientId);
        return store.replace(caller.tenantId(), clientId, ifMatch, data(request));
    }

    @Transactional
    public void delete(String clientId, String ifMatch) {
        store.delete(caller.tenantId(), clientId, ifMatch);
    }

    private ObjectNode data(ClientConfigRequest request) {
        ObjectNode data = mapper.valueToTree(request);
        data.remove("client_id");
        return data;
    }
}
