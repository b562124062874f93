package io.wharf.common.document;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.wharf.common.web.PageCursor;
import jakarta.inject.Inject;

/**
 * Tenant-scoped access to one document table. Writes go through Hibernate (versions, flush, audit in
 * one transaction). Reads are one plain SQL query mapped by hand: a managed entity would cost a session,
 * entity initializers and a JSON format mapper per document, which measured as much as the whole rest of
 * a GET. Lists use JSONB containment ({@code @>}), which is what lets PostgreSQL use the GIN index.
 */
public abstract class DocumentRepository<E extends Document> implements PanacheRepositoryBase<E, DocumentKey> {

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper mapper;

    /** Documents a filtered list reads in page order before it turns to the GIN index. */
    static final int ORDERED_WINDOW = 1000;

    protected abstract Supplier<E> factory();

    public record ListQuery(ObjectNode contains, OffsetDateTime createdFrom, OffsetDateTime createdTo, PageCursor after, int limit) {
    }

    protected abstract Class<E> entityClass();

    protected abstract String table();

    protected abstract String idColumn();

    protected abstract String dataColumn();

    /** A managed document, for changing it. */
    public Optional<E> find(UUID tenantId, String id) {
        return findByIdOptional(new DocumentKey(tenantId, id));
    }

    /** A detached copy, for reading it. */
    public Optional<E> read(UUID tenantId, String id) {
        List<E> rows = query("SELECT " + columns() + " FROM " + table() + " WHERE tenant_id = ? AND " + idColumn() + " = ?",
                List.of(tenantId, id));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** A managed document whose row is locked (FOR UPDATE) until the transaction ends, for deleting it. */
    public Optional<E> findForUpdate(UUID tenantId, String id) {
        return findByIdOptional(new DocumentKey(tenantId, id), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    }

    public boolean exists(UUID tenantId, String id) {
        return count("tenantId = ?1 and id = ?2", tenantId, id) > 0;
    }

    /**
     * Whether the document exists, keeping it (FOR SHARE) until the transaction ends: a document that
     * another one refers to cannot be deleted between the check and the commit of the reference.
     */
    public boolean existsLocked(UUID tenantId, String id) {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table() + " WHERE tenant_id = ? AND " + idColumn() + " = ? FOR SHARE")) {
                ps.setObject(1, tenantId);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /**
     * Inserts a new document unless its id is taken, in one statement: a check before the insert would let
     * two concurrent creates both pass it, and the loser would fail on the primary key. Sets the database's
     * timestamps on {@code doc}; false when the id exists (the document is then not managed).
     */
    public boolean insert(E doc) {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table() + " (tenant_id, " + idColumn() + ", " + dataColumn()
                    + ", version) VALUES (?, ?, CAST(? AS jsonb), ?) ON CONFLICT DO NOTHING RETURNING created_at, updated_at")) {
                ps.setObject(1, doc.tenantId);
                ps.setString(2, doc.id);
                ps.setString(3, doc.data.toString());
                ps.setLong(4, doc.version);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    doc.createdAt = rs.getObject(1, OffsetDateTime.class);
                    doc.updatedAt = rs.getObject(2, OffsetDateTime.class);
                    return true;
                }
            }
        });
    }

    /** Ids of up to {@code limit} documents, oldest first, whose data contains {@code contains} (JSONB @>, the GIN index). */
    public List<String> idsContaining(UUID tenantId, ObjectNode contains, int limit) {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + idColumn() + " FROM " + table() + " WHERE tenant_id = ? AND "
                    + dataColumn() + " @> CAST(? AS jsonb)" + order() + " LIMIT ?")) {
                ps.setObject(1, tenantId);
                ps.setString(2, contains.toString());
                ps.setInt(3, limit);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    /** Plain SQL on the connection of the current transaction; Hibernate turns an SQLException into its JDBCException. */
    private <T> T work(org.hibernate.jdbc.ReturningWork<T> work) {
        return getEntityManager().unwrap(org.hibernate.Session.class).doReturningWork(work);
    }

    /** Oldest first, after the cursor; up to limit+1 rows so the caller can tell whether there is more. */
    public List<E> list(UUID tenantId, ListQuery q) {
        Scope scope = new Scope(tenantId, q);
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        if (q.contains() == null || q.contains().isEmpty()) {
            sql.append("SELECT ").append(columns()).append(" FROM ").append(table());
            scope.where(sql, params);
            sql.append(order()).append(" LIMIT ?");
            params.add(q.limit() + 1);
        } else {
            filtered(sql, params, scope, q.contains().toString(), q.limit() + 1);
        }
        return query(sql.toString(), params);
    }

    /** The tenant, creation-time bounds and cursor of a list; appends SQL and its parameters together. */
    private final class Scope {
        private final UUID tenantId;
        private final ListQuery q;

        Scope(UUID tenantId, ListQuery q) {
            this.tenantId = tenantId;
            this.q = q;
        }

        void where(StringBuilder sql, List<Object> params) {
            sql.append(" WHERE tenant_id = ?");
            params.add(tenantId);
            range(sql, params);
        }

        void range(StringBuilder sql, List<Object> params) {
            if (q.createdFrom() != null) {
                sql.append(" AND created_at >= ?");
                params.add(q.createdFrom());
            }
            if (q.createdTo() != null) {
                sql.append(" AND created_at < ?");
                params.add(q.createdTo());
            }
            if (q.after() != null) {
                sql.append(" AND (created_at, ").append(idColumn()).append(") > (?, ?)");
                params.add(q.after().createdAt());
                params.add(q.after().id());
            }
        }
    }

    /**
     * A filtered page whose cost does not hang on the planner guessing the filter's selectivity. The planner
     * estimates a JSONB containment from a 100-document histogram, so a rare value that happens to be in it
     * counts as 1% of the rows; it then walks the created_at order expecting a page soon, and reads every
     * document of the tenant (measured on 100,000: 20 ms alone, over 500 ms under load, for about one value
     * in a thousand). Instead, the first {@value #ORDERED_WINDOW} documents in page order are filtered
     * directly: a common value fills its page there, in well under a millisecond. Only when the window ends
     * without a full page does the GIN index find the matches after it. That subquery is fenced (OFFSET 0)
     * so that neither an ORDER BY nor a created_at range reaches it: it can only be answered from the GIN
     * index, whatever the estimate, and the same plan stays good when PostgreSQL caches a generic one.
     */
    private void filtered(StringBuilder sql, List<Object> params, Scope scope, String contains, int rows) {
        String containsSql = dataColumn() + " @> CAST(? AS jsonb)";
        // the window, in page order
        sql.append("(SELECT ").append(columns()).append(" FROM (SELECT * FROM ").append(table());
        scope.where(sql, params);
        sql.append(order()).append(" LIMIT ").append(ORDERED_WINDOW).append(") w WHERE ").append(containsSql);
        params.add(contains);
        sql.append(order()).append(" LIMIT ?)");
        params.add(rows);
        // after the window, from the GIN index
        sql.append(" UNION ALL (SELECT ").append(columns()).append(" FROM (SELECT * FROM ").append(table())
                .append(" WHERE tenant_id = ? AND ").append(containsSql).append(" OFFSET 0) r WHERE true");
        params.add(scope.tenantId);
        params.add(contains);
        scope.range(sql, params);
        sql.append(" AND (created_at, ").append(idColumn()).append(") > (SELECT created_at, ").append(idColumn())
                .append(" FROM ").append(table());
        scope.where(sql, params);
        sql.append(order()).append(" OFFSET ").append(ORDERED_WINDOW - 1).append(" LIMIT 1)").append(order()).append(" LIMIT ?) LIMIT ?");
        params.add(rows);
        params.add(rows);
    }

    private String order() {
        return " ORDER BY created_at, " + idColumn();
    }

    private String columns() {
        return idColumn() + ", " + dataColumn() + "::text, version, created_at, updated_at";
    }

    private List<E> query(String sql, List<Object> params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<E> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    E doc = factory().get();
                    doc.tenantId = (UUID) params.get(0);
                    doc.id = rs.getString(1);
                    String text = rs.getString(2);
                    doc.loadedFrom(text, (ObjectNode) mapper.readTree(text));
                    doc.version = rs.getLong(3);
                    doc.createdAt = rs.getObject(4, OffsetDateTime.class);
                    doc.updatedAt = rs.getObject(5, OffsetDateTime.class);
                    out.add(doc);
                }
            }
            return out;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Reading " + table() + " failed", e);
        }
    }
}
