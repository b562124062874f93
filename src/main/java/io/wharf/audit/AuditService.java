package io.wharf.audit;

import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wharf.common.web.Caller;
import io.wharf.common.web.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Writes the audit trail. MANDATORY: a row is written inside the transaction of the change it
 * describes, so a rolled-back change leaves no audit row and a committed one always has one.
 */
@ApplicationScoped
public class AuditService {

    /** user_id of Wharf's own entries; a client may send the same X-User-Id, so actor_type is what tells them apart. */
    public static final String SYSTEM_USER = "system";

    private final AuditRepository repository;
    private final ObjectMapper mapper;

    AuditService(AuditRepository repository, ObjectMapper mapper) {
        this.repository = repository;
        this.mapper = mapper;
    }

    /** before is null for a creation, after is null for a deletion; only changed fields are kept for an update. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(UUID tenantId, String action, String resourceType, String resourceId, Object before, Object after) {
        AuditLog log = new AuditLog();
        log.tenantId = tenantId;
        log.action = action;
        log.resourceType = resourceType;
        log.resourceId = resourceId;
        log.changes = AuditDiff.of(tree(before), tree(after));
        Optional<Caller> caller = CurrentCaller.current();
        caller.ifPresentOrElse(c -> {
            log.actorType = AuditLog.ActorType.client;
            log.userId = c.userId();
            log.apiKeyPrefix = c.keyPrefix();
            log.ipAddress = c.ip();
            log.userAgent = c.userAgent();
        }, () -> {
            log.actorType = AuditLog.ActorType.system;
            log.userId = SYSTEM_USER;
        });
        repository.persist(log);
    }

    private JsonNode tree(Object value) {
        return value == null ? null : mapper.valueToTree(value);
    }
}
