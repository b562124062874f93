package io.wharf.audit;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.wharf.common.web.PageCursor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Query;

/**
 * Reads the audit trail newest first by (created_at, id). The cursor condition is a row-value comparison,
 * {@code (created_at, id) < (?, ?)}, which PostgreSQL answers as one range of the (created_at, id) index
 * (V10) even when no tenant narrows the search; the equivalent OR of two conditions is not an index range.
 */
@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditLog, UUID> {

    public record Filter(UUID tenantId, String action, String resourceType, String resourceId, String userId,
            OffsetDateTime from, OffsetDateTime to) {
    }

    /** Newest first, after the cursor; returns up to limit+1 rows so the caller can tell if there is more. */
    @SuppressWarnings("unchecked")
    public List<AuditLog> search(Filter f, PageCursor after, int limit) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        add(where, params, "tenant_id", f.tenantId());
        add(where, params, "action", f.action());
        add(where, params, "resource_type", f.resourceType());
        add(where, params, "resource_id", f.resourceId());
        add(where, params, "user_id", f.userId());
        if (f.from() != null) {
            where.add("created_at >= ?");
            params.add(f.from());
        }
        if (f.to() != null) {
            where.add("created_at < ?");
            params.add(f.to());
        }
        if (after != null) {
            where.add("(created_at, id) < (?, ?)");
            params.add(after.createdAt());
            params.add(UUID.fromString(after.id()));
        }
        params.add(limit + 1);
        Query q = getEntityManager()
                .createNativeQuery("SELECT a.* FROM audit_logs a" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                        + " ORDER BY created_at DESC, id DESC LIMIT ?", AuditLog.class);
        for (int i = 0; i < params.size(); i++) {
            q.setParameter(i + 1, params.get(i));
        }
        return q.getResultList();
    }

    private static void add(List<String> where, List<Object> params, String column, Object value) {
        if (value != null) {
            where.add(column + " = ?");
            params.add(value);
        }
    }
}
