package io.wharf.audit;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.wharf.common.Actor;
import io.wharf.common.db.Jdbc;
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

    private static final String INSERT_ALL = """
            INSERT INTO audit_logs (tenant_id, user_id, actor_type, api_key_prefix, action, resource_type, resource_id, changes, ip_address,
                                    user_agent, created_at, updated_at)
            SELECT v.tenant_id, ?, ?, ?, ?, v.resource_type, v.resource_id, v.changes::jsonb, ?, ?, now(), now()
            FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) AS v(tenant_id, resource_type, resource_id, changes)""";

    private final Jdbc jdbc;

    AuditRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

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

    /** An audit row of a batch; changes is JSON text. */
    record Row(UUID tenantId, String resourceType, String resourceId, String changes) {
    }

    /** Inserts the rows of one actor and action with one statement (arrays unnested), in the caller's transaction. */
    void insertAll(Actor actor, String action, List<Row> rows) {
        int n = rows.size();
        UUID[] tenants = new UUID[n];
        String[] types = new String[n];
        String[] ids = new String[n];
        String[] changes = new String[n];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            tenants[i] = r.tenantId();
            types[i] = r.resourceType();
            ids[i] = r.resourceId();
            changes[i] = r.changes();
        }
        jdbc.current().update(INSERT_ALL, ps -> {
            ps.setString(1, actor.userId());
            ps.setString(2, actor.kind().name());
            ps.setString(3, actor.keyPrefix());
            ps.setString(4, action);
            ps.setString(5, actor.ip());
            ps.setString(6, actor.userAgent());
            ps.setArray(7, ps.getConnection().createArrayOf("uuid", tenants));
            ps.setArray(8, ps.getConnection().createArrayOf("text", types));
            ps.setArray(9, ps.getConnection().createArrayOf("text", ids));
            ps.setArray(10, ps.getConnection().createArrayOf("text", changes));
        });
    }

    private static void add(List<String> where, List<Object> params, String column, Object value) {
        if (value != null) {
            where.add(column + " = ?");
            params.add(value);
        }
    }
}
