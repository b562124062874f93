package io.wharf.document;

import java.util.List;

/**
 * Everything that tells one document type from another, in one place: the repository builds its SQL from
 * it, the store its audit rows and messages, the responses their id field and location, the list its
 * filters, the cursors their tag. A new JSONB document table needs one of these, not a new repository.
 *
 * @param table        the seed's table, keyed by (tenant_id, idColumn)
 * @param idColumn     the table's id column
 * @param dataColumn   the JSONB column holding the document
 * @param idField      the id's name in request and response bodies
 * @param resourceType audit_logs.resource_type of its changes
 * @param label        how messages name one ("Client config")
 * @param path         where the API serves it; also names its list in cursors
 * @param filters      the list's query parameters beyond paging and creation time
 */
public record DocumentType(String table, String idColumn, String dataColumn, String idField, String resourceType, String label, String path,
        List<ListFilter> filters) {

    public DocumentType {
        filters = List.copyOf(filters);
    }

    /** The list's name in its cursors, so that a cursor of one list is refused by another. */
    public String cursors() {
        return path.substring(1).replace('/', '_');
    }

    public String location(String id) {
        return path + "/" + id;
    }
}
