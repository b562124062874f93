package io.wharf.document;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.hibernate.Session;
import org.hibernate.jdbc.ReturningWork;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.web.PageCursor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Tenant-scoped SQL for every document table, built from its {@link DocumentType}. Plain SQL rather than
 * mapped entities: a document is one JSONB value whose text PostgreSQL already prints, and a managed entity
 * would parse it, snapshot it and print it again on every read. Changes run on the connection of the caller's
 * transaction (so the audit row commits or rolls back with them) on rows the caller has locked; reads outside
 * a transaction take a pooled connection for one query. Lists use JSONB containment ({@code @>}), which is
 * what lets PostgreSQL use the GIN index.
 */
@ApplicationScoped
public class DocumentRepository {

    /** Documents a filtered list reads in page order before it turns to the GIN index. */
    static final int ORDERED_WINDOW = 1000;

    public record ListQuery(ObjectNode contains, OffsetDateTime createdFrom, OffsetDateTime createdTo, PageCursor after, int limit) {
    }

    private final DataSource dataSource;
    private final EntityManager em;

    DocumentRepository(DataSource dataSource, EntityManager em) {
        this.dataSource = dataSource;
        this.em = em;
    }

    public Optional<StoredDocument> read(DocumentType type, UUID tenantId, String id) {
        List<StoredDocument> rows = query(type, "SELECT " + columns(type) + " FROM " + type.table() + " WHERE tenant_id = ? AND "
                + type.idColumn() + " = ?", List.of(tenantId, id));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** The document, its row locked (FOR UPDATE) until the caller's transaction ends. */
    public Optional<StoredDocument> lock(DocumentType type, UUID tenantId, String id) {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + columns(type) + " FROM " + type.table() + " WHERE tenant_id = ? AND "
                    + type.idColumn() + " = ? FOR UPDATE")) {
                ps.setObject(1, tenantId);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Whether the document exists, keeping it (FOR SHARE) until the transaction ends: a document that
     * another one refers to cannot be deleted between the check and the commit of the reference.
     */
    public boolean existsLocked(DocumentType type, UUID tenantId, String id) {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + type.table() + " WHERE tenant_id = ? AND " + type.idColumn()
                    + " = ? FOR SHARE")) {
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
     * two concurrent creates both pass it, and the loser would fail on the primary key. Empty when the id exists.
     */
    public Optional<StoredDocument> insert(DocumentType type, UUID tenantId, String id, ObjectNode data) {
        String text = data.toString();
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + type.table() + " (tenant_id, " + type.idColumn() + ", "
                    + type.dataColumn()
                    + ", version) VALUES (?, ?, CAST(? AS jsonb), 1) ON CONFLICT DO NOTHING RETURNING version, created_at, updated_at")) {
                ps.setObject(1, tenantId);
                ps.setString(2, id);
                ps.setString(3, text);
                return written(ps, id, text);
            }
        });
    }

    /** Replaces the data of a document the caller has locked, as the next version; empty if it is not at {@code version}. */
    public Optional<StoredDocument> update(DocumentType type, UUID tenantId, String id, long version, ObjectNode data) {
        String text = data.toString();
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + type.table() + " SET " + type.dataColumn() + " = CAST(? AS jsonb),"
                    + " version = version + 1 WHERE tenant_id = ? AND " + type.idColumn() + " = ? AND version = ?"
                    + " RETURNING version, created_at, updated_at")) {
                ps.setString(1, text);
                ps.setObject(2, tenantId);
                ps.setString(3, id);
                ps.setLong(4, version);
                return written(ps, id, text);
            }
        });
    }

    public boolean delete(DocumentType type, UUID tenantId, String id, long version) {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + type.table() + " WHERE tenant_id = ? AND " + type.idColumn()
                    + " = ? AND version = ?")) {
                ps.setObject(1, tenantId);
                ps.setString(2, id);
                ps.setLong(3, version);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Ids of up to {@code limit} documents, oldest first, whose data contains {@code contains} (JSONB @>, the GIN index). */
    public List<String> idsContaining(DocumentType type, UUID tenantId, ObjectNode contains, int limit) {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + type.idColumn() + " FROM " + type.table() + " WHERE tenant_id = ? AND "
                    + type.dataColumn() + " @> CAST(? AS jsonb)" + order(type) + " LIMIT ?")) {
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

    /** Oldest first, after the cursor; up to limit+1 rows so the caller can tell whether there is more. */
    public List<StoredDocument> list(DocumentType type, UUID tenantId, ListQuery q) {
        ListSql sql = new ListSql(type, tenantId, q);
        return query(type, sql.text(columns(type), order(type)), sql.params());
    }

    private static Optional<StoredDocument> written(PreparedStatement ps, String id, String text) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new StoredDocument(id, text, rs.getLong(1), rs.getObject(2, OffsetDateTime.class),
                    rs.getObject(3, OffsetDateTime.class)));
        }
    }

    /** Plain SQL on the connection of the current transaction; Hibernate turns an SQLException into its JDBCException. */
    private <T> T work(ReturningWork<T> work) {
        return em.unwrap(Session.class).doReturningWork(work);
    }

    static String order(DocumentType type) {
        return " ORDER BY created_at, " + type.idColumn();
    }

    private static String columns(DocumentType type) {
        return type.idColumn() + ", " + type.dataColumn() + "::text, version, created_at, updated_at";
    }

    private static StoredDocument row(ResultSet rs) throws SQLException {
        return new StoredDocument(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getObject(4, OffsetDateTime.class),
                rs.getObject(5, OffsetDateTime.class));
    }

    private List<StoredDocument> query(DocumentType type, String sql, List<Object> params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<StoredDocument> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading " + type.table() + " failed", e);
        }
    }
}
