package io.wharf.document;

import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.audit.AuditService;
import io.wharf.common.Actor;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * What every document type does the same way: tenant-scoped create, read, replace and delete, with
 * versions, and an audit row in the same transaction as the change. Writers own the transaction (MANDATORY)
 * and their own rules. A document of another tenant is indistinguishable from a missing one.
 */
@ApplicationScoped
public class DocumentStore {

    private final DocumentRepository repository;
    private final AuditService audit;
    private final ObjectMapper mapper;

    DocumentStore(DocumentRepository repository, AuditService audit, ObjectMapper mapper) {
        this.repository = repository;
        this.audit = audit;
        this.mapper = mapper;
    }

    public StoredDocument get(DocumentType type, UUID tenantId, String id) {
        if (!DocumentIds.lookupable(id)) {
            throw notFound(type, id);
        }
        return repository.read(type, tenantId, id).orElseThrow(() -> notFound(type, id));
    }

    public List<StoredDocument> list(DocumentType type, UUID tenantId, DocumentRepository.ListQuery query) {
        return repository.list(type, tenantId, query);
    }

    /** Whether the document exists, locked (shared) until the transaction ends so that it cannot be deleted meanwhile. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean existsLocked(DocumentType type, UUID tenantId, String id) {
        return DocumentIds.lookupable(id) && repository.existsLocked(type, tenantId, id);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public StoredDocument create(DocumentType type, UUID tenantId, Actor actor, String id, ObjectNode data) {
        DocumentIds.compact(data);
        DocumentIds.checkStorable(data);
        StoredDocument doc = repository.insert(type, tenantId, id, data).orElseThrow(() -> new WharfException(ErrorCode.CONFLICT,
                type.label() + " '" + id + "' already exists; use PUT to replace it."));
        audit.record(tenantId, actor, "create", type.resourceType(), id, null, data);
        return doc;
    }

    /**
     * A change computed from the stored document: {@code change} applies the caller's rules to the current data
     * (and may refuse), then If-Match is checked. The row stays locked until the transaction ends, so
     * concurrent changes of one document queue here and each sees the version the previous one wrote (a stale
     * If-Match gets 412) instead of all reading the same version.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public StoredDocument replace(DocumentType type, UUID tenantId, Actor actor, String id, String ifMatch, String action,
            UnaryOperator<ObjectNode> change) {
        StoredDocument current = locked(type, tenantId, id);
        ObjectNode before = current.data(mapper);
        ObjectNode data = change.apply(before.deepCopy());
        ETags.checkIfMatch(ifMatch, current.version(), type.label() + " '" + id + "'");
        DocumentIds.compact(data);
        DocumentIds.checkStorable(data);
        StoredDocument doc = repository.update(type, tenantId, id, current.version(), data).orElseThrow(() -> changedMeanwhile(type, current));
        audit.record(tenantId, actor, action, type.resourceType(), id, before, data);
        return doc;
    }

    /**
     * Deletes after {@code guard} has accepted the stored document (it may refuse by throwing). The row is
     * locked first, so what the guard checks cannot change before the delete commits, and of concurrent
     * deletes the later ones find nothing (404).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void delete(DocumentType type, UUID tenantId, Actor actor, String id, String ifMatch, Consumer<StoredDocument> guard) {
        StoredDocument current = locked(type, tenantId, id);
        ETags.checkIfMatch(ifMatch, current.version(), type.label() + " '" + id + "'");
        guard.accept(current);
        if (!repository.delete(type, tenantId, id, current.version())) {
            throw changedMeanwhile(type, current);
        }
        audit.record(tenantId, actor, "delete", type.resourceType(), id, current.data(mapper), null);
    }

    /** Ids of up to {@code limit} documents, oldest first, whose data contains {@code contains}; in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> idsContaining(DocumentType type, UUID tenantId, ObjectNode contains, int limit) {
        return repository.idsContaining(type, tenantId, contains, limit);
    }

    public WharfException notFound(DocumentType type, String id) {
        String shown = id == null || id.length() <= 100 ? id : id.substring(0, 100) + "...";
        return new WharfException(ErrorCode.NOT_FOUND, "No " + type.label().toLowerCase() + " '" + shown + "'.");
    }

    private StoredDocument locked(DocumentType type, UUID tenantId, String id) {
        if (!DocumentIds.lookupable(id)) {
            throw notFound(type, id);
        }
        return repository.lock(type, tenantId, id).orElseThrow(() -> notFound(type, id));
    }

    /** The row is locked, so only a writer that bypasses the lock can get here; refused like a stale If-Match. */
    private static WharfException changedMeanwhile(DocumentType type, StoredDocument read) {
        return new WharfException(ErrorCode.PRECONDITION_FAILED, type.label() + " '" + read.id() + "' was changed by another request while this"
                + " one was applied (it read version " + ETags.of(read.version()) + "). Read it again and re-apply your change.");
    }
}
