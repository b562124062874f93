package io.wharf.audit;

import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.wharf.common.web.Redactor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * One action_logs row per integration action. Written in a transaction of its own: the record of a call
 * to the outside world must survive even when the work that made the call is rolled back.
 */
@ApplicationScoped
public class ActionLogService {

    @ApplicationScoped
    static class Repository implements PanacheRepositoryBase<ActionLog, UUID> {
    }

    public record Entry(UUID tenantId, ActionLog.Type type, String provider, Object request, Object response,
            ActionLog.Status status, String error, long executionTimeMs) {
    }

    private final Repository repository;
    private final ObjectMapper mapper;

    ActionLogService(Repository repository, ObjectMapper mapper) {
        this.repository = repository;
        this.mapper = mapper;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public UUID record(Entry e) {
        ActionLog log = new ActionLog();
        log.tenantId = e.tenantId();
        log.actionType = e.type();
        log.providerName = e.provider();
        log.requestPayload = e.request() == null ? mapper.createObjectNode() : Redactor.redact(mapper.valueToTree(e.request()));
        log.responseData = e.response() == null ? null : Redactor.redact(mapper.valueToTree(e.response()));
        log.status = e.status();
        log.errorMessage = e.error();
        log.executionTimeMs = (int) Math.min(Integer.MAX_VALUE, Math.max(0, e.executionTimeMs()));
        repository.persist(log);
        return log.id;
    }
}
