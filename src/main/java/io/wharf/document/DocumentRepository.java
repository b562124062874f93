package io.wharf.document;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.db.Jdbc;
import io.wharf.common.web.PageCursor;
import jakarta.enterprise.context.ApplicationScoped;

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

    // {table}, {id}, {data} and {columns} are the document type's; see sql()
    private static final String READ = "SELECT {columns} FROM {table} WHERE tenant_id = ? AND {id} = ?";
    private static final String LOCK = "SELECT {columns} FROM {table} WHERE tenant_id = ? AND {id} = ? FOR UPDATE";
    private static final String EXISTS_LOCKED = "SELECT 1 FROM {table} WHERE tenant_id = ? AND {id} = ? FOR SHARE";
    private static final String INSERT = """
            INSERT INTO {table} (tenant_id, {id}, {data}, version) VALUES (?, ?, CAST(? AS jsonb), 1)
            ON CONFLICT DO NOTHING RETURNING version, created_at, updated_at""";
    private static final String UPDATE = """
            UPDATE {table} SET {data} = CAST(? AS jsonb), version = version + 1
            WHERE tenant_id = ? AND {id} = ? AND version = ? RETURNING version, created_at, updated_at""";
    private static final String DELETE = "DELETE FROM {table} WHERE tenant_id = ? AND {id} = ? AND version = ?";
    private static final String IDS_CONTAINING = "SELECT {id} FROM {table} WHERE tenant_id = ? AND {data} @> CAST(? AS jsonb){order} LIMIT ?";

    public record ListQuery(ObjectNode contains, OffsetDateTime createdFrom, OffsetDateTime createdTo, PageCursor after, int limit) {
    }

    /** By table, then template. */
    private final Map<String, Map<String, String>> statements = new ConcurrentHashMap<>();
    private final Jdbc jdbc;

    DocumentRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<StoredDocument> read(DocumentType type, UUID tenantId, String id) {
        return jdbc.queryOne(sql(type, READ), ps -> {
            ps.setObject(1, tenantId);
            ps.setObject(2, id);
        }, DocumentRepository::row);
    }

    /** The document, its row locked (FOR UPDATE) until the caller's transaction ends. */
    public Optional<StoredDocument> lock(DocumentType type, UUID tenantId, String id) {
        return jdbc.current().queryOne(sql(type, LOCK), ps -> {
            ps.setObject(1, tenantId);
            ps.setString(2, id);
        }, DocumentRepository::row);
    }

    /**
     * Whether the document exists, keeping it (FOR SHARE) until the transaction ends: a document that
     * another one refers to cannot be deleted between the check and the commit of the reference.
     */
    public boolean existsLocked(DocumentType type, UUID tenantId, String id) {
        return jdbc.current().queryOne(sql(type, EXISTS_LOCKED), ps -> {
            ps.setObject(1, tenantId);
            ps.setString(2, id);
        }, rs -> true).isPresent();
    }

    /**
     * Inserts a new document unless its id is taken, in one statement: a check before the insert would let
     * two concurrent creates both pass it, and the loser would fail on the primary key. Empty when the id exists.
     */
    public Optional<StoredDocument> insert(DocumentType type, UUID tenantId, String id, ObjectNode data) {
        String text = data.toString();
        return jdbc.current().queryOne(sql(type, INSERT), ps -> {
            ps.setObject(1, tenantId);
            ps.setString(2, id);
            ps.setString(3, text);
        }, rs -> written(rs, id, text));
    }

    /** Replaces the data of a document the caller has locked, as the next version; empty if it is not at {@code version}. */
    public Optional<StoredDocument> update(DocumentType type, UUID tenantId, String id, long version, ObjectNode data) {
        String text = data.toString();
        return jdbc.current().queryOne(sql(type, UPDATE), ps -> {
            ps.setString(1, text);
            ps.setObject(2, tenantId);
            ps.setString(3, id);
            ps.setLong(4, version);
        }, rs -> written(rs, id, text));
    }

    public boolean delete(DocumentType type, UUID tenantId, String id, long version) {
        return jdbc.current().update(sql(type, DELETE), ps -> {
            ps.setObject(1, tenantId);
            ps.setString(2, id);
            ps.setLong(3, version);
        }) == 1;
    }

    /** Ids of up to {@code limit} documents, oldest first, whose data contains {@code contains} (JSONB @>, the GIN index). */
    public List<String> idsContaining(DocumentType type, UUID tenantId, ObjectNode contains, int limit) {
        return jdbc.current().query(sql(type, IDS_CONTAINING), ps -> {
            ps.setObject(1, tenantId);
            ps.setString(2, contains.toString());
            ps.setInt(3, limit);
        }, rs -> rs.getString(1));
    }

    /** Oldest first, after the cursor; up to limit+1 rows so the caller can tell whether there is more. */
    public List<StoredDocument> list(DocumentType type, UUID tenantId, ListQuery q) {
        ListSql sql = new ListSql(type, tenantId, q);
        List<Object> params = sql.params();
        return jdbc.query(sql.text(columns(type), order(type)), ps -> {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
        }, DocumentRepository::row);
    }

    private static StoredDocument written(ResultSet rs, String id, String text) throws SQLException {
        return new StoredDocument(id, text, rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getObject(3, OffsetDateTime.class));
    }

    /** A statement of {@code template} for the type's table and columns, built once per type. */
    private String sql(DocumentType type, String template) {
        return statements.computeIfAbsent(type.table(), t -> new ConcurrentHashMap<>()).computeIfAbsent(template, t -> build(type, template));
    }

    private static String build(DocumentType type, String template) {
        return template.replace("{columns}", columns(type)).replace("{table}", type.table()).replace("{id}", type.idColumn())
                .replace("{data}", type.dataColumn()).replace("{order}", order(type));
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
}
