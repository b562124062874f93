package io.wharf.document;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of one list page and its parameters, appended together so they cannot drift apart.
 *
 * <p>A filtered page must not let its cost hang on the planner guessing the filter's selectivity. The planner
 * estimates a JSONB containment from a small histogram, so a rare value that happens to be in it looks
 * common; it then walks the created_at order expecting a page soon, and reads every document of the tenant.
 * Instead, the first {@value DocumentRepository#ORDERED_WINDOW} documents in page order are filtered directly,
 * where a common value fills its page. Only when the window ends without a full page does the GIN index find
 * the matches after it. That subquery is fenced (OFFSET 0) so that neither an ORDER BY nor a created_at range
 * reaches it: it can only be answered from the GIN index, whatever the estimate, and the same plan stays good
 * when PostgreSQL caches a generic one.
 */
final class ListSql {

    private final DocumentType type;
    private final UUID tenantId;
    private final DocumentRepository.ListQuery q;
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    ListSql(DocumentType type, UUID tenantId, DocumentRepository.ListQuery q) {
        this.type = type;
        this.tenantId = tenantId;
        this.q = q;
    }

    String text(String columns, String order) {
        if (q.contains() == null || q.contains().isEmpty()) {
            sql.append("SELECT ").append(columns).append(" FROM ").append(type.table());
            where();
            sql.append(order).append(" LIMIT ?");
            params.add(q.limit() + 1);
        } else {
            filtered(columns, order, q.contains().toString(), q.limit() + 1);
        }
        return sql.toString();
    }

    List<Object> params() {
        return params;
    }

    private void where() {
        sql.append(" WHERE tenant_id = ?");
        params.add(tenantId);
        range();
    }

    private void range() {
        if (q.createdFrom() != null) {
            sql.append(" AND created_at >= ?");
            params.add(q.createdFrom());
        }
        if (q.createdTo() != null) {
            sql.append(" AND created_at < ?");
            params.add(q.createdTo());
        }
        if (q.after() != null) {
            sql.append(" AND (created_at, ").append(type.idColumn()).append(") > (?, ?)");
            params.add(q.after().createdAt());
            params.add(q.after().id());
        }
    }

    private void filtered(String columns, String order, String contains, int rows) {
        String containsSql = type.dataColumn() + " @> CAST(? AS jsonb)";
        // the window, in page order
        sql.append("(SELECT ").append(columns).append(" FROM (SELECT * FROM ").append(type.table());
        where();
        sql.append(order).append(" LIMIT ").append(DocumentRepository.ORDERED_WINDOW).append(") w WHERE ").append(containsSql);
        params.add(contains);
        sql.append(order).append(" LIMIT ?)");
        params.add(rows);
        // after the window, from the GIN index
        sql.append(" UNION ALL (SELECT ").append(columns).append(" FROM (SELECT * FROM ").append(type.table())
                .append(" WHERE tenant_id = ? AND ").append(containsSql).append(" OFFSET 0) r WHERE true");
        params.add(tenantId);
        params.add(contains);
        range();
        sql.append(" AND (created_at, ").append(type.idColumn()).append(") > (SELECT created_at, ").append(type.idColumn())
                .append(" FROM ").append(type.table());
        where();
        sql.append(order).append(" OFFSET ").append(DocumentRepository.ORDERED_WINDOW - 1).append(" LIMIT 1)").append(order)
                .append(" LIMIT ?) LIMIT ?");
        params.add(rows);
        params.add(rows);
    }
}
