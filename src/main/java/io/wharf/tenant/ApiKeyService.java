package io.wharf.tenant;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import io.wharf.audit.AuditService;
import io.wharf.common.Actor;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Issuing, rotating, revoking and checking API keys. A key's plain text exists only in the answer that creates it. */
@ApplicationScoped
public class ApiKeyService {

    private final ApiKeyRepository keys;
    private final TenantRepository tenants;
    private final AuditService audit;
    private final ApiKeyCache cache;
    private final KeyUseRecorder uses;

    ApiKeyService(ApiKeyRepository keys, TenantRepository tenants, AuditService audit, ApiKeyCache cache, KeyUseRecorder uses) {
        this.keys = keys;
        this.tenants = tenants;
        this.audit = audit;
        this.cache = cache;
        this.uses = uses;
    }

    public record Authenticated(UUID keyId, UUID tenantId, String prefix, List<String> scopes) {
    }

    public record Issued(ApiKey key, String plainText) {
    }

    /** A verdict from the cache alone, without blocking: empty when the cache cannot decide. */
    public Optional<Optional<Authenticated>> authenticateCached(String presented) {
        Optional<String> prefix = ApiKeys.prefixOf(presented);
        if (prefix.isEmpty() || cache.refused(prefix.get()) || (ApiKeys.isPublished(presented) && !BootstrapAdminKey.publishedKeysAllowed())) {
            return Optional.of(Optional.empty());
        }
        return cache.get(prefix.get()).map(e -> {
            if (!ApiKeys.matches(e.keyHash(), ApiKeys.hash(presented))
                    || (e.expiresAt() != null && !e.expiresAt().isAfter(OffsetDateTime.now()))) {
                return Optional.<Authenticated>empty();
            }
            uses.used(e.key().keyId());
            return Optional.of(e.key());
        });
    }

    /** Empty for every way a key can be wrong; callers must not tell the cases apart. */
    public Optional<Authenticated> authenticate(String presented) {
        Optional<Optional<Authenticated>> cached = authenticateCached(presented);
        if (cached.isPresent()) {
            return cached.get();
        }
        String presentedHash = ApiKeys.hash(presented == null ? "" : presented);
        String prefix = ApiKeys.prefixOf(presented).orElseThrow();
        long generation = cache.generation();
        Optional<ApiKeyRepository.KeyRecord> found = lookup(prefix);
        lookupObserver.accept(prefix);
        OffsetDateTime now = OffsetDateTime.now();
        if (found.isEmpty() || found.get().revokedAt() != null || !found.get().tenantActive()
                || (found.get().expiresAt() != null && !found.get().expiresAt().isAfter(now))) {
            cache.refuse(prefix, generation);
            return Optional.empty();
        }
        ApiKeyRepository.KeyRecord k = found.get();
        Authenticated authenticated = new Authenticated(k.id(), k.tenantId(), prefix, List.copyOf(k.scopes()));
        // cached even when this secret is wrong, so that guesses at a known prefix cost no lookup either
        cache.put(prefix, new ApiKeyCache.Entry(k.keyHash(), authenticated, k.expiresAt(), System.nanoTime()), generation);
        if (!ApiKeys.matches(k.keyHash(), presentedHash)) {
            return Optional.empty();
        }
        uses.used(k.id());
        return Optional.of(authenticated);
    }

    /** At most a configured number of lookups hold a pooled connection; the others wait briefly, then 503. */
    private Optional<ApiKeyRepository.KeyRecord> lookup(String prefix) {
        boolean acquired;
        try {
            acquired = cache.tryAcquireLookup();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new WharfException(ErrorCode.SERVICE_UNAVAILABLE, "Too many API keys are being checked at once; retry shortly.");
        }
        try {
            return keys.findByPrefix(prefix);
        } finally {
            cache.releaseLookup();
        }
    }

    /** Test seam: runs after a lookup has read the database and before its result is cached. */
    static volatile Consumer<String> lookupObserver = prefix -> {
    };

    @Transactional
    public Issued issue(UUID tenantId, Actor actor, String name, List<String> scopes, OffsetDateTime expiresAt) {
        tenant(tenantId);
        return create(tenantId, actor, name, scopes, expiresAt, null);
    }

    @Transactional
    public Issued rotate(UUID tenantId, Actor actor, UUID keyId) {
        ApiKey old = activeKey(tenantId, keyId);
        return create(tenantId, actor, old.name, old.scopes, old.expiresAt, old.id);
    }

    @Transactional
    public ApiKey revoke(UUID tenantId, Actor actor, UUID keyId) {
        ApiKey key = keys.findForTenant(tenantId, keyId)
                .orElseThrow(() -> new WharfException(ErrorCode.NOT_FOUND, "No API key " + keyId + " for tenant " + tenantId + "."));
        if (key.revokedAt == null) {
            Map<String, Object> before = KeyView.of(key).asMap();
            key.revokedAt = OffsetDateTime.now();
            keys.notifyChange(ApiKeyCache.keyEvent(key.prefix));
            cache.evictAfterCompletion(ApiKeyCache.keyEvent(key.prefix));
            audit.record(tenantId, actor, "revoke", "api_key", key.id.toString(), before, KeyView.of(key).asMap());
        }
        return key;
    }

    public List<ApiKey> list(UUID tenantId) {
        tenant(tenantId);
        return keys.listByTenant(tenantId);
    }

    /** Registers a key whose plain text came from configuration; a prefix seen before is never re-created. */
    @Transactional
    public boolean registerBootstrapKey(String plainText, String tenantName) {
        String prefix = ApiKeys.prefixOf(plainText).orElseThrow();
        keys.lockBootstrap();
        if (keys.prefixExists(prefix)) {
            return false;
        }
        Tenant tenant = new Tenant();
        tenant.name = tenantName;
        tenant.metadata = Map.of("created_by", "bootstrap");
        tenants.persist(tenant);
        audit.record(tenant.id, Actor.SYSTEM, "create", "tenant", tenant.id.toString(), null, TenantView.of(tenant).asMap());
        ApiKey key = new ApiKey();
        key.tenantId = tenant.id;
        key.name = "bootstrap";
        key.prefix = prefix;
        key.keyHash = ApiKeys.hash(plainText);
        key.scopes = List.of(Scope.ADMIN, Scope.CLIENT);
        keys.persist(key);
        audit.record(tenant.id, Actor.SYSTEM, "create", "api_key", key.id.toString(), null, KeyView.of(key).asMap());
        return true;
    }

    private Issued create(UUID tenantId, Actor actor, String name, List<String> scopes, OffsetDateTime expiresAt, UUID rotatedFrom) {
        ApiKeys.Generated g = ApiKeys.generate();
        ApiKey key = new ApiKey();
        key.tenantId = tenantId;
        key.name = name == null || name.isBlank() ? "default" : name;
        key.prefix = g.prefix();
        key.keyHash = g.hash();
        key.scopes = new ArrayList<>(scopes);
        key.expiresAt = expiresAt;
        key.rotatedFrom = rotatedFrom;
        keys.persist(key);
        cache.issued(key.prefix);
        audit.record(tenantId, actor, rotatedFrom == null ? "create" : "rotate", "api_key", key.id.toString(), null, KeyView.of(key).asMap());
        return new Issued(key, g.key());
    }

    private ApiKey activeKey(UUID tenantId, UUID keyId) {
        ApiKey key = keys.findForTenant(tenantId, keyId)
                .orElseThrow(() -> new WharfException(ErrorCode.NOT_FOUND, "No API key " + keyId + " for tenant " + tenantId + "."));
        if (key.revokedAt != null) {
            throw new WharfException(ErrorCode.CONFLICT, "API key " + keyId + " is revoked; issue a new key instead of rotating it.");
        }
        return key;
    }

    private Tenant tenant(UUID tenantId) {
        return tenants.findByIdOptional(tenantId)
                .orElseThrow(() -> new WharfException(ErrorCode.NOT_FOUND, "No tenant " + tenantId + "."));
    }
}
