package io.wharf.document;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.Actor;
import jakarta.transaction.Transactional;

/**
 * The service of one document type: a request body R becomes the stored data (the body without its id),
 * and a subclass adds the type's rules in the hooks. Every method takes the tenant and the actor, so a
 * worker or a command calls it exactly as a resource does.
 */
public abstract class DocumentService<R> {

    protected final DocumentType type;
    protected final DocumentStore store;
    protected final ObjectMapper mapper;

    /** For the client proxy of a subclass bean, which delegates every call. */
    protected DocumentService() {
        this(null, null, null);
    }

    protected DocumentService(DocumentType type, DocumentStore store, ObjectMapper mapper) {
        this.type = type;
        this.store = store;
        this.mapper = mapper;
    }

    public DocumentType type() {
        return type;
    }

    @Transactional
    public StoredDocument create(UUID tenantId, Actor actor, R request) {
        ObjectNode data = mapper.valueToTree(request);
        String id = DocumentIds.resolve(type.idField(), bodyId(data), null);
        return store.create(type, tenantId, actor, id, onCreate(tenantId, id, data));
    }

    public StoredDocument get(UUID tenantId, String id) {
        return store.get(type, tenantId, id);
    }

    public List<StoredDocument> list(UUID tenantId, DocumentRepository.ListQuery query) {
        return store.list(type, tenantId, query);
    }

    @Transactional
    public StoredDocument replace(UUID tenantId, Actor actor, String id, String ifMatch, R request) {
        ObjectNode data = mapper.valueToTree(request);
        DocumentIds.resolve(type.idField(), bodyId(data), id);
        return store.replace(type, tenantId, actor, id, ifMatch, "update", current -> onReplace(tenantId, id, current, data));
    }

    @Transactional
    public void delete(UUID tenantId, Actor actor, String id, String ifMatch) {
        store.delete(type, tenantId, actor, id, ifMatch, current -> onDelete(tenantId, current));
    }

    /** The document as a client of the tenant sees it; by default as stored. */
    public StoredDocument view(UUID tenantId, StoredDocument doc) {
        return doc;
    }

    /** The data of a new document, after the type's checks; may refuse by throwing. */
    protected ObjectNode onCreate(UUID tenantId, String id, ObjectNode data) {
        return data;
    }

    /** The data replacing {@code current}, after the type's checks; may refuse by throwing. */
    protected ObjectNode onReplace(UUID tenantId, String id, ObjectNode current, ObjectNode requested) {
        return requested;
    }

    /** Called with the row locked before it is deleted; may refuse by throwing. */
    protected void onDelete(UUID tenantId, StoredDocument current) {
    }

    /** The id the body names, taken out of the data: the id is a column, not a field of the document. */
    private String bodyId(ObjectNode data) {
        JsonNode id = data.remove(type.idField());
        return id == null || id.isNull() ? null : id.asText();
    }
}
