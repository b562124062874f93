package io.wharf.audit;

import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.Actor;
import io.wharf.common.web.Redactor;
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
        log.changes = diff(Redactor.redact(tree(before)), Redactor.redact(tree(after)));
        log.actorType = actor.kind();
        log.userId = actor.userId();
        log.apiKeyPrefix = actor.keyPrefix();
        log.ipAddress = actor.ip();
        log.userAgent = actor.userAgent();
        repository.persist(log);
    }

    private JsonNode tree(Object value) {
        return value == null ? null : mapper.valueToTree(value);
    }

    private ObjectNode diff(JsonNode before, JsonNode after) {
        ObjectNode changes = mapper.createObjectNode();
        if (before == null || after == null || !before.isObject() || !after.isObject()) {
            changes.set("before", before);
            changes.set("after", after);
            return changes;
        }
        ObjectNode b = changes.putObject("before");
        ObjectNode a = changes.putObject("after");
        Iterator<Map.Entry<String, JsonNode>> fields = after.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode old = before.get(f.getKey());
            if (old == null || !old.equals(f.getValue())) {
                b.set(f.getKey(), old);
                a.set(f.getKey(), f.getValue());
            }
        }
        before.fieldNames().forEachRemaining(name -> {
            if (!after.has(name)) {
                b.set(name, before.get(name));
                a.putNull(name);
            }
        });
        return changes;
    }
}
