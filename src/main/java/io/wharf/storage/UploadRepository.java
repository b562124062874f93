package io.wharf.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.db.Jdbc;
import io.wharf.common.db.Statements;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * user_uploads rows of one tenant. Writes run on the connection of the caller's transaction, so their audit
 * row commits with them; reads outside a transaction take a pooled connection for one query.
 */
@ApplicationScoped
public class UploadRepository {

    private static final String COLUMNS = "id, upload_type, original_filename, filename, content_type, file_size, s3_bucket, s3_key, s3_url, "
            + "upload_status, expires_at, created_at, completed_at, metadata::text";

    private static final String INSERT = """
            INSERT INTO user_uploads (id, tenant_id, user_id, filename, original_filename, s3_url, s3_bucket, s3_key, content_type, file_size,
                                      upload_type, is_public, expires_at, metadata, upload_status, upload_origin)
            VALUES (?, ?, ?, ?, ?, generate_s3_url(?, ?, ?, ?), ?, ?, ?, ?, ?, FALSE, now() + make_interval(secs => ?),
                    CAST(? AS jsonb), 'pending', 'upload_api')
            RETURNING\s""" + COLUMNS;

    private static final String FIND_ALL = "SELECT " + COLUMNS + " FROM user_uploads WHERE tenant_id = ? AND id = ANY(?)";

    private static final String FIND_BY_KEYS = "SELECT " + COLUMNS + " FROM user_uploads WHERE tenant_id = ? AND s3_bucket = ? AND s3_key = ANY(?)";

    private static final String COMPLETE = """
            UPDATE user_uploads SET upload_status = 'completed', completed_at = now(), uploaded_at = now(), updated_at = now(), s3_key = ?,
                   s3_url = 'https://' || s3_bucket || '.s3.amazonaws.com/' || ?
            WHERE tenant_id = ? AND id = ? AND upload_status = 'pending'
            RETURNING\s""" + COLUMNS;

    private static final String CLAIM = """
            UPDATE user_uploads SET expires_at = NULL, updated_at = now()
            WHERE tenant_id = ? AND id = ANY(?) AND upload_status = 'completed' AND (expires_at IS NULL OR expires_at > now())
            RETURNING\s""" + COLUMNS;

    private static final String EXPIRED = """
            SELECT u.id, u.s3_bucket, u.s3_key, u.tenant_id, u.filename FROM user_uploads u
            WHERE u.upload_origin = 'upload_api' AND u.expires_at < now() - make_interval(secs => ?) AND u.s3_bucket = ?
            AND NOT EXISTS (SELECT 1 FROM files f WHERE f.s3_bucket = u.s3_bucket AND f.s3_key = u.s3_key)
            ORDER BY u.expires_at LIMIT ?""";

    private static final String KEEP = "UPDATE user_uploads SET expires_at = NULL, updated_at = now() WHERE id = ANY(?)";

    private static final String PENDING = "SELECT id FROM user_uploads WHERE id = ANY(?) AND upload_status = 'pending'";

    private static final String DELETE_EXPIRED = "DELETE FROM user_uploads WHERE id = ANY(?) AND expires_at < now() - make_interval(secs => ?)";

    /** An expired upload of the upload API, for the sweep: its object and where its bytes were staged. */
    public record Expired(UUID id, String s3Bucket, String s3Key, String stagingKey) {
    }

    /** Where POST /api/uploads has the client PUT the bytes: never a key a files row or a URL may name. */
    static String stagingKey(UUID tenant, String filename) {
        return STAGING + "/" + tenant + "/" + filename;
    }

    static final String STAGING = "staging";

    private final Jdbc jdbc;
    private final ObjectMapper mapper;

    UploadRepository(Jdbc jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** A new pending upload; its URL is generate_s3_url's, so it matches the seed's other S3 URLs. */
    public UploadRequests.UploadView insert(UUID tenant, UUID id, UUID user, UploadRequests.CreateUpload r, FileKind kind, String bucket,
            String folder, Duration ttl) {
        String filename = id + "." + kind.extension();
        return jdbc.current().queryOne(INSERT, ps -> {
            int i = 1;
            ps.setObject(i++, id);
            ps.setObject(i++, tenant);
            ps.setObject(i++, user);
            ps.setString(i++, filename);
            ps.setString(i++, r.original_filename().strip());
            ps.setString(i++, bucket);
            ps.setString(i++, folder);
            ps.setObject(i++, id);
            ps.setString(i++, kind.extension());
            ps.setString(i++, bucket);
            ps.setString(i++, folder + "/" + filename);
            ps.setString(i++, kind.contentType());
            ps.setLong(i++, r.file_size());
            ps.setString(i++, r.upload_type());
            ps.setDouble(i++, ttl.toMillis() / 1000.0);
            ps.setString(i++, r.metadata() == null ? "{}" : r.metadata().toString());
        }, this::view).orElseThrow();
    }

    public Optional<UploadRequests.UploadView> find(UUID tenant, UUID id) {
        List<UploadRequests.UploadView> rows = findAll(tenant, List.of(id));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public List<UploadRequests.UploadView> findAll(UUID tenant, Collection<UUID> ids) {
        return jdbc.query(FIND_ALL, ps -> {
            ps.setObject(1, tenant);
            ps.setArray(2, Statements.array(ps, "uuid", ids));
        }, this::view);
    }

    /** The tenant's uploads of these objects. */
    public List<UploadRequests.UploadView> findByKeys(UUID tenant, String bucket, Collection<String> keys) {
        return jdbc.query(FIND_BY_KEYS, ps -> {
            ps.setObject(1, tenant);
            ps.setString(2, bucket);
            ps.setArray(3, Statements.array(ps, "text", keys));
        }, this::view);
    }

    /**
     * Marks a pending upload completed with its object at {@code key} (URL in generate_s3_url's form), in the
     * caller's transaction; empty when it is not pending (any more).
     */
    public Optional<UploadRequests.UploadView> complete(UUID tenant, UUID id, String key) {
        return jdbc.current().queryOne(COMPLETE, ps -> {
            ps.setString(1, key);
            ps.setString(2, key);
            ps.setObject(3, tenant);
            ps.setObject(4, id);
        }, this::view);
    }

    /**
     * Makes completed, unexpired uploads permanent (expires_at cleared) for a transaction that uses them, in the
     * caller's transaction; returns those it claimed. Rows stay locked until that transaction ends, so the
     * sweep cannot remove one in between.
     */
    public List<UploadRequests.UploadView> claim(UUID tenant, Collection<UUID> ids) {
        return jdbc.current().query(CLAIM, ps -> {
            ps.setObject(1, tenant);
            ps.setArray(2, Statements.array(ps, "uuid", ids));
        }, this::view);
    }

    /**
     * Uploads that the upload API created in Wharf's bucket and that expired more than {@code grace} ago, whose
     * object no files row references. Rows of any other origin (adopted from seed 001, written by the migration)
     * are never the sweep's, whatever their expires_at.
     */
    public List<Expired> expired(String bucket, Duration grace, int limit) {
        return jdbc.query(EXPIRED, ps -> {
            ps.setDouble(1, grace.toMillis() / 1000.0);
            ps.setString(2, bucket);
            ps.setInt(3, limit);
        }, rs -> new Expired(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                stagingKey(rs.getObject(4, UUID.class), rs.getString(5))));
    }

    /** Makes uploads permanent (expires_at cleared) that something else turned out to name: the sweep leaves them. */
    public void keep(Collection<UUID> ids) {
        jdbc.current().update(KEEP, ps -> ps.setArray(1, Statements.array(ps, "uuid", ids)));
    }

    /** Of these upload ids, those still pending (their staged bytes may yet be completed). */
    public Set<UUID> pending(Collection<UUID> ids) {
        return new HashSet<>(jdbc.query(PENDING, ps -> ps.setArray(1, Statements.array(ps, "uuid", ids)), rs -> rs.getObject(1, UUID.class)));
    }

    /** Deletes those of the rows that are still expired past the grace (a row claimed meanwhile is kept). */
    public int deleteExpired(Collection<UUID> ids, Duration grace) {
        return jdbc.current().update(DELETE_EXPIRED, ps -> {
            ps.setArray(1, Statements.array(ps, "uuid", ids));
            ps.setDouble(2, grace.toMillis() / 1000.0);
        });
    }

    private UploadRequests.UploadView view(ResultSet rs) throws SQLException {
        return new UploadRequests.UploadView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getObject(11, OffsetDateTime.class),
                rs.getObject(12, OffsetDateTime.class), rs.getObject(13, OffsetDateTime.class), metadata(rs.getString(14)), null);
    }

    private ObjectNode metadata(String json) {
        try {
            return json == null ? null : (ObjectNode) mapper.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            return null;
        }
    }
}
