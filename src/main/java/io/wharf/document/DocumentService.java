package io.wharf.document;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.Actor;
import io.wharf.common.web.Page;
import io.wharf.common.web.PageCursor;
import io.wharf.common.web.QueryParams;
import jakarta.transaction.Transactional;

/**
 * The service of one document type: a request body R becomes the stored data (the body without its id),
 * and a subclass adds the type's rules in the hooks. Every method takes the tenant and the actor, so a
 * worker or a command calls it exactly as a resource does.
 */
public abstract class DocumentService<R> {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

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

    /**
     * One page, oldest first. The type's filters come first, then the bounds, the cursor and the page size, each
     * checked (a 400 naming the parameter); a cursor written by another list is refused.
     */
    public Page<StoredDocument> list(UUID tenantId, ListRequest request) {
        ObjectNode contains = mapper.createObjectNode();
        for (ListFilter filter : type.filters()) {
            filter.apply(request.filters().get(filter.param()), contains);
        }
        DocumentRepository.ListQuery query = new DocumentRepository.ListQuery(contains,
                QueryParams.timestamp("created_after", request.createdAfter()), QueryParams.timestamp("created_before", request.createdBefore()),
                request.cursor() == null || request.cursor().isBlank() ? null : PageCursor.decode(request.cursor(), type.cursors()),
                QueryParams.limit("limit", request.limit(), DEFAULT_LIMIT, MAX_LIMIT));
        return Page.of(store.list(type, tenantId, query), query.limit(), type.cursors(), d -> new PageCursor(d.createdAt(), d.id()), d -> d);
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
