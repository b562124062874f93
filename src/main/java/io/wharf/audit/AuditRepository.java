package io.wharf.audit;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.wharf.common.web.PageCursor;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditLog, UUID> {

    public record Filter(UUID tenantId, String action, String resourceType, String resourceId, String userId,
            OffsetDateTime from, OffsetDateTime to) {
    }

    /** Newest first, after the cursor; returns up to limit+1 rows so the caller can tell if there is more. */
    public List<AuditLog> search(Filter f, PageCursor after, int limit) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        add(where, params, "tenantId", f.tenantId());
        add(where, params, "action", f.action());
        add(where, params, "resourceType", f.resourceType());
        add(where, params, "resourceId", f.resourceId());
        add(where, params, "userId", f.userId());
        if (f.from() != null) {
            where.add("createdAt >= :from");
            params.put("from", f.from());
        }
        if (f.to() != null) {
            where.add("createdAt < :to");
            params.put("to", f.to());
        }
        if (after != null) {
            where.add("(createdAt < :cAt or (createdAt = :cAt and id < :cId))");
            params.put("cAt", after.createdAt());
            params.put("cId", UUID.fromString(after.id()));
        }
        String query = where.isEmpty() ? "1 = 1" : String.join(" and ", where);
        return find(query, Sort.descending("createdAt", "id"), params).page(Page.ofSize(limit + 1)).list();
    }

    private static void add(List<String> where, Map<String, Object> params, String field, Object value) {
        if (value != null) {
            where.add(field + " = :" + field);
            params.put(field, value);
        }
    }
}
