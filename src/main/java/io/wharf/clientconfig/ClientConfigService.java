package io.wharf.clientconfig;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wharf.document.DocumentService;
import io.wharf.document.DocumentStore;
import io.wharf.document.DocumentType;
import io.wharf.document.ListFilter;
import io.wharf.document.StoredDocument;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

/** Client configs of seed 003; other documents name them, and may refuse their removal (ClientConfigRemoval). */
@ApplicationScoped
public class ClientConfigService extends DocumentService<ClientConfigRequest> {

    public static final DocumentType TYPE = new DocumentType("client_configs", "client_id", "config_data", "client_id", "client_config",
            "Client config", "/demo/clients",
            List.of(ListFilter.oneOf("license_type", ClientConfigRequest.LicenseType.class), ListFilter.element("module", "modules")));

    private final Event<ClientConfigRemoval> removals;

    ClientConfigService(DocumentStore store, ObjectMapper mapper, Event<ClientConfigRemoval> removals) {
        super(TYPE, store, mapper);
        this.removals = removals;
    }

    /**
     * Whether the tenant has this client. The client stays locked (shared) until the caller's transaction
     * ends, so a concurrent delete waits and then sees what the caller wrote about it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean exists(UUID tenantId, String clientId) {
        return store.existsLocked(TYPE, tenantId, clientId);
    }

    @Override
    protected void onDelete(UUID tenantId, StoredDocument current) {
        removals.fire(new ClientConfigRemoval(tenantId, current.id()));
    }
}
