package io.wharf.common.document;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.audit.AuditService;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;

/**
 * What every document type does the same way: tenant-scoped create, read, replace, delete with
 * versions and an audit row in the same transaction. Callers own the transaction and their own rules.
 * A document of another tenant is indistinguishable from a missing one.
 */
public class DocumentStore<E extends Document> {

    private final DocumentRepository<E> repository;
    private final AuditService audit;
    private final Supplier<E> factory;
    private final String resourceType;
    private final String label;

    public DocumentStore(DocumentRepository<E> repository, AuditService audit, Supplier<E> factory, String resourceType, String label) {
        this.repository = repository;
        this.audit = audit;
        this.factory = factory;
        this.resourceType = resourceType;
        this.label = label;
    }

    /** For reading: a detached copy. */
    public E get(UUID tenantId, String id) {
        if (!DocumentIds.lookupable(id)) {
            throw notFound(id);
        }
        return repository.read(tenantId, id).orElseThrow(() -> notFound(id));
    }

    /**
     * A managed document whose row stays locked until the transaction ends: concurrent changes of one
     * document queue here, so each sees the version the previous one wrote (and a stale If-Match gets 412)
     * instead of all reading the same version and all but one failing on Hibernate's versioned UPDATE.
     */
    private E managed(UUID tenantId, String id) {
        if (!DocumentIds.lookupable(id)) {
            throw notFound(id);
        }
        return repository.findForUpdate(tenantId, id).orElseThrow(() -> notFound(id));
    }

    public boolean exists(UUID tenantId, String id) {
        return repository.exists(tenantId, id);
    }

    public List<E> list(UUID tenantId, DocumentRepository.ListQuery query) {
        return repository.list(tenantId, query);
    }

    public E create(UUID tenantId, String id, ObjectNode data) {
        DocumentIds.compact(data);
        DocumentIds.checkStorable(data);
        E doc = factory.get();
        doc.tenantId = tenantId;
        doc.id = id;
        doc.data = data;
        if (!repository.insert(doc)) {
            throw new WharfException(ErrorCode.CONFLICT, label + " '" + id + "' already exists; use PUT to replace it.");
        }
        audit.record(tenantId, "create", resourceType, id, null, data);
        return doc;
    }

    public E replace(UUID tenantId, String id, String ifMatch, ObjectNode data) {
        return replace(tenantId, id, ifMatch, data, "update");
    }

    /** A change recorded under its own audit action (an update, or e.g. a connection test's result). */
    public E replace(UUID tenantId, String id, String ifMatch, ObjectNode data, String action) {
        return replace(tenantId, id, ifMatch, action, current -> data);
    }

    /**
     * A change computed from the stored document, read once: {@code change} applies the caller's rules to
     * the current data (and may refuse), then If-Match is checked.
     */
    public E replace(UUID tenantId, String id, String ifMatch, String action, UnaryOperator<ObjectNode> change) {
        E doc = managed(tenantId, id);
        ObjectNode data = change.apply(doc.data.deepCopy());
        ETags.checkIfMatch(ifMatch, doc.version, label + " '" + id + "'");
        DocumentIds.compact(data);
        DocumentIds.checkStorable(data);
        JsonNode before = doc.data.deepCopy();
        doc.data = data;
        flush(id, doc.version);
        audit.record(tenantId, action, resourceType, id, before, data);
        return doc;
    }

    public void delete(UUID tenantId, String id, String ifMatch) {
        delete(tenantId, id, ifMatch, doc -> {
        });
    }

    /**
     * Deletes after {@code guard} has accepted the stored document (it may refuse by throwing). The row is
     * locked first, so what the guard checks cannot change before the delete commits, and of concurrent
     * deletes the later ones find nothing (404).
     */
    public void delete(UUID tenantId, String id, String ifMatch, java.util.function.Consumer<E> guard) {
        E doc = managed(tenantId, id);
        ETags.checkIfMatch(ifMatch, doc.version, label + " '" + id + "'");
        guard.accept(doc);
        JsonNode before = doc.data.deepCopy();
        repository.delete(doc);
        flush(id, doc.version);
        audit.record(tenantId, "delete", resourceType, id, before, null);
    }

    /**
     * Writes the change. Another request that changed or deleted the document after it was read here makes
     * Hibernate's versioned UPDATE/DELETE find no row: that is a lost update, refused like a stale If-Match.
     */
    private void flush(String id, long readVersion) {
        try {
            repository.flush();
        } catch (jakarta.persistence.OptimisticLockException | org.hibernate.StaleStateException e) {
            throw new WharfException(ErrorCode.PRECONDITION_FAILED, label + " '" + id + "' was changed by another request while this one"
                    + " was applied (it read version " + ETags.of(readVersion) + "). Read it again and re-apply your change.");
        }
    }

    public WharfException notFound(String id) {
        String shown = id == null || id.length() <= 100 ? id : id.substring(0, 100) + "...";
        return new WharfException(ErrorCode.NOT_FOUND, "No " + label.toLowerCase() + " '" + shown + "'.");
    }
}
