package io.wharf.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wharf.common.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Writes the audit trail. MANDATORY: a row is written inside the transaction of the change it
 * describes, so a rolled-back change leaves no audit row and a committed one always has one.
 */
@ApplicationScoped
public class AuditService {

    private final AuditRepository repository;
    private final ObjectMapper mapper;

    AuditService(AuditRepository repository, ObjectMapper mapper) {
        this.repository = repository;
        this.mapper = mapper;
    }

    /** before is null for a creation, after is null for a deletion; only changed fields are kept for an update. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(UUID tenantId, Actor actor, String action, String resourceType, String resourceId, Object before, Object after) {
        AuditLog log = new AuditLog();
        log.tenantId = tenantId;
        log.action = action;
        log.resourceType = resourceType;
        log.resourceId = resourceId;
        log.changes = AuditDiff.of(tree(before), tree(after));
        log.actorType = actor.kind();
        log.userId = actor.userId();
        log.apiKeyPrefix = actor.keyPrefix();
        log.ipAddress = actor.ip();
        log.userAgent = actor.userAgent();
        repository.persist(log);
    }

    /** One audited change of a batch: the same row {@link #record} writes. */
    public record Change(UUID tenantId, String resourceType, String resourceId, Object before, Object after) {
    }

    /**
     * The rows {@link #record} would write one by one, in one statement: a worker that applies hundreds of
     * changes per transaction pays for one insert, not hundreds.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordAll(Actor actor, String action, List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<AuditRepository.Row> rows = new ArrayList<>(changes.size());
        for (Change c : changes) {
            rows.add(new AuditRepository.Row(c.tenantId(), c.resourceType(), c.resourceId(),
                    AuditDiff.of(tree(c.before()), tree(c.after())).toString()));
        }
        repository.insertAll(actor, action, rows);
    }

    private JsonNode tree(Object value) {
        return value == null ? null : mapper.valueToTree(value);
    }
}
