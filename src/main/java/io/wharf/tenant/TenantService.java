package io.wharf.tenant;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.panache.common.Sort;
import io.wharf.audit.AuditService;
import io.wharf.common.Actor;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class TenantService {

    private final TenantRepository tenants;
    private final ApiKeyService keys;
    private final ApiKeyRepository keyRows;
    private final AuditService audit;
    private final ApiKeyCache cache;

    TenantService(TenantRepository tenants, ApiKeyService keys, ApiKeyRepository keyRows, AuditService audit, ApiKeyCache cache) {
        this.tenants = tenants;
        this.keys = keys;
        this.keyRows = keyRows;
        this.audit = audit;
        this.cache = cache;
    }

    @Transactional
    public TenantRequests.TenantCreated create(Actor actor, TenantRequests.CreateTenant request) {
        Tenant t = new Tenant();
        t.name = request.name().trim();
        t.metadata = request.metadata();
        tenants.persist(t);
        audit.record(t.id, actor, "create", "tenant", t.id.toString(), null, TenantView.of(t).asMap());
        ApiKeyService.Issued key = keys.issue(t.id, actor, request.keyName(), request.scopesOrDefault(), null);
        return new TenantRequests.TenantCreated(TenantView.of(t), KeyView.of(key.key(), key.plainText()));
    }

    public List<Tenant> list() {
        return tenants.listAll(Sort.by("createdAt").and("id"));
    }

    public Tenant get(UUID id) {
        return tenants.findByIdOptional(id).orElseThrow(() -> new WharfException(ErrorCode.NOT_FOUND, "No tenant " + id + "."));
    }

    @Transactional
    public Tenant update(UUID id, Actor actor, TenantRequests.UpdateTenant request) {
        Tenant t = get(id);
        Map<String, Object> before = TenantView.of(t).asMap();
        if (request.name() != null) {
            t.name = request.name().trim();
        }
        if (request.active() != null) {
            t.active = request.active();
            keyRows.notifyChange(ApiKeyCache.tenantEvent(t.id));
            cache.evictAfterCompletion(ApiKeyCache.tenantEvent(t.id));
        }
        if (request.metadata() != null) {
            t.metadata = request.metadata();
        }
        tenants.flush();
        audit.record(t.id, actor, request.active() != null && !request.active() ? "deactivate" : "update", "tenant", t.id.toString(),
                before, TenantView.of(t).asMap());
        return t;
    }
}
