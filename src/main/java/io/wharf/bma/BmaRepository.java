package io.wharf.bma;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.db.Jdbc;
import io.wharf.common.web.PageCursor;
import io.wharf.common.web.PlainNumbers;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * transactions and transaction_records. A transaction is written whole in one statement: the transaction, its records, one files row per image
 * (record ids and file ids drawn from their sequences inside the statement, so each record's images array
 * holds its file ids from the start) and a pending migration job per external image. One statement is one
 * round trip and one snapshot; {@code ON CONFLICT} on (tenant_id, external_transaction_id) makes a
 * concurrent duplicate insert nothing at all, which the caller sees as an empty result. New migration jobs
 * wake the migration workers when the transaction commits (the channel of {@code migration.JobQueue}). Reads are
 * always within one tenant, on a pooled connection per query.
 */
@ApplicationScoped
class BmaRepository {

    static final String INSERT = """
            WITH t AS (
                INSERT INTO transactions (tenant_id, external_transaction_id, transaction_date, status, transaction_data, content_sha256)
                VALUES (?, ?, ?, 'received', CAST(? AS jsonb), ?)
                ON CONFLICT (tenant_id, external_transaction_id) DO NOTHING
                RETURNING id, created_at
            ), rec AS (
                SELECT r.idx, r.data, nextval(pg_get_serial_sequence('transaction_records', 'id')) AS id
                FROM t, jsonb_to_recordset(CAST(? AS jsonb)) AS r(idx int, data jsonb)
            ), img AS (
                SELECT i.*, nextval(pg_get_serial_sequence('files', 'id')) AS id
                FROM t, jsonb_to_recordset(CAST(? AS jsonb)) AS i(rec int, pos int, source text, url text, s3_bucket text, s3_key text,
                    content_type text, size_bytes bigint, checksum_sha256 text, original_filename text)
            ), ins_rec AS (
                INSERT INTO transaction_records (id, transaction_id, record_index, record_data, images)
                SELECT rec.id, t.id, rec.idx, rec.data,
                       COALESCE((SELECT jsonb_agg(img.id ORDER BY img.pos) FROM img WHERE img.rec = rec.idx), '[]'::jsonb)
                FROM rec, t
                RETURNING id
            ), ins_img AS (
                INSERT INTO files (id, tenant_id, url, s3_key, s3_bucket, source, observation, file_type, related_entity_type,
                                   related_entity_id, original_filename, content_type, size_bytes, checksum_sha256)
                SELECT img.id, ?, img.url, img.s3_key, img.s3_bucket, img.source::file_source, rec.data -> 'observation',
                       'transaction_record_image', 'transaction_record', rec.id, img.original_filename, img.content_type,
                       img.size_bytes, img.checksum_sha256
                FROM img JOIN rec ON rec.idx = img.rec
                RETURNING id, source, url, tenant_id
            ), jobs AS (
                INSERT INTO s3_migration_log (table_name, record_id, file_id, source_column, old_url, migration_status, owner_tenant_id)
                SELECT 'files', files_record_uuid(id), id, 'url', url, 'pending', tenant_id FROM ins_img WHERE source = 'ext'
                ON CONFLICT DO NOTHING
                RETURNING 1
            ), wake AS (
                SELECT pg_notify('wharf_s3_migration', 'jobs') FROM (SELECT 1 FROM jobs LIMIT 1) j
            )
            SELECT t.id, t.created_at, (SELECT count(*) FROM ins_rec), (SELECT count(*) FROM ins_img), (SELECT count(*) FROM jobs),
                   (SELECT jsonb_object_agg(rec.idx, rec.id) FROM rec)::text,
                   (SELECT jsonb_object_agg(img.rec || '/' || img.pos, img.id) FROM img)::text,
                   (SELECT count(*) FROM wake) -- a SELECT in WITH runs only when referenced
            FROM t
            """;

    private static final String EXISTING = "SELECT id, content_sha256 FROM transactions WHERE tenant_id = ? AND external_transaction_id = ?";

    private static final String TRANSACTION = """
            SELECT id, external_transaction_id, status, transaction_date, transaction_data::text, created_at
            FROM transactions WHERE tenant_id = ? AND external_transaction_id = ?""";

    private static final String RECORDS = """
            SELECT id, record_index, record_data::text, images::text FROM transaction_records
            WHERE transaction_id = ? ORDER BY record_index, id""";

    private static final String PAGE = """
            SELECT t.id, t.external_transaction_id, t.status, t.transaction_date, t.created_at,
                   (SELECT count(*) FROM transaction_records r WHERE r.transaction_id = t.id),
                   (SELECT COALESCE(sum(jsonb_array_length(r.images)), 0) FROM transaction_records r WHERE r.transaction_id = t.id)
            FROM transactions t WHERE t.tenant_id = ?%s
            ORDER BY t.created_at DESC, t.id DESC LIMIT ?""";

    /** What the statement wrote; the ids of each record (by index) and of each image (by "record/position"). */
    record Inserted(long id, OffsetDateTime createdAt, int records, int files, int jobs, Map<Integer, Long> recordIds,
            Map<String, Long> fileIds) {
    }

    /** The stored request hash of a transaction, if the tenant has one with this id. */
    record Existing(long id, String contentSha256) {
    }

    record TransactionRow(long id, String externalId, String status, OffsetDateTime transactionDate, JsonNode data, OffsetDateTime createdAt) {
    }

    record RecordRow(long id, int index, JsonNode data, List<Long> fileIds) {
    }

    private final Jdbc jdbc;
    private final ObjectMapper mapper;

    BmaRepository(Jdbc jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** In the caller's transaction; empty when the tenant already has a transaction with this id. */
    Optional<Inserted> insert(UUID tenant, Ingest ingest, List<StoredImage> images) {
        ArrayNode records = mapper.createArrayNode();
        for (Ingest.Record r : ingest.records()) {
            records.addObject().put("idx", r.index()).set("data", r.data());
        }
        ArrayNode imgs = mapper.createArrayNode();
        for (StoredImage i : images) {
            ObjectNode o = imgs.addObject().put("rec", i.record()).put("pos", i.position()).put("source", i.source()).put("url", i.url())
                    .put("s3_bucket", i.s3Bucket()).put("s3_key", i.s3Key()).put("content_type", i.contentType())
                    .put("checksum_sha256", i.checksumSha256()).put("original_filename", i.originalFilename());
            o.put("size_bytes", i.sizeBytes());
        }
        return jdbc.current().queryOne(INSERT, ps -> {
            ps.setObject(1, tenant);
            ps.setString(2, ingest.externalId());
            ps.setObject(3, ingest.transactionDate());
            ps.setString(4, ingest.transactionData().toString());
            ps.setString(5, ingest.contentSha256());
            ps.setString(6, records.toString());
            ps.setString(7, imgs.toString());
            ps.setObject(8, tenant);
        }, rs -> {
            Map<Integer, Long> recordIds = new HashMap<>();
            json(rs.getString(6)).fields().forEachRemaining(e -> recordIds.put(Integer.valueOf(e.getKey()), e.getValue().asLong()));
            Map<String, Long> fileIds = new HashMap<>();
            String files = rs.getString(7);
            if (files != null) {
                json(files).fields().forEachRemaining(e -> fileIds.put(e.getKey(), e.getValue().asLong()));
            }
            return new Inserted(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getInt(3), rs.getInt(4), rs.getInt(5), recordIds,
                    fileIds);
        });
    }

    /** Outside a transaction: a pooled connection for one query. */
    Optional<Existing> existing(UUID tenant, String externalId) {
        return jdbc.queryOne(EXISTING, ps -> {
            ps.setObject(1, tenant);
            ps.setString(2, externalId);
        }, rs -> new Existing(rs.getLong(1), rs.getString(2)));
    }

    Optional<TransactionRow> transaction(UUID tenant, String externalId) {
        return jdbc.queryOne(TRANSACTION, ps -> {
            ps.setObject(1, tenant);
            ps.setString(2, externalId);
        }, rs -> new TransactionRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class),
                storedJson(rs.getString(5)), rs.getObject(6, OffsetDateTime.class)));
    }

    List<RecordRow> records(long transactionId) {
        return jdbc.query(RECORDS, ps -> ps.setLong(1, transactionId), rs -> {
            List<Long> ids = new ArrayList<>();
            for (JsonNode id : storedJson(rs.getString(4))) {
                if (id.canConvertToLong()) { // rows written before Wharf may hold URLs here; only file ids are shown
                    ids.add(id.asLong());
                }
            }
            return new RecordRow(rs.getLong(1), rs.getInt(2), storedJson(rs.getString(3)), ids);
        });
    }

    /** Newest first, after the cursor; limit+1 rows so the caller can tell whether there is more. */
    List<BmaViews.Summary> page(UUID tenant, PageCursor after, int limit) {
        String sql = PAGE.formatted(after == null ? "" : " AND (t.created_at, t.id) < (?, ?)");
        return jdbc.query(sql, ps -> {
            int i = 1;
            ps.setObject(i++, tenant);
            if (after != null) {
                ps.setObject(i++, after.createdAt());
                ps.setLong(i++, Long.parseLong(after.id()));
            }
            ps.setInt(i, limit + 1);
        }, rs -> new BmaViews.Summary(rs.getString(2), rs.getLong(1), rs.getString(3), rs.getObject(4, OffsetDateTime.class), rs.getInt(6),
                rs.getInt(7), rs.getObject(5, OffsetDateTime.class)));
    }

    private JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the insert answered unreadable JSON", e);
        }
    }

    private JsonNode storedJson(String text) {
        try {
            return text == null ? mapper.nullNode() : PlainNumbers.read(mapper, text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not readable", e);
        }
    }
}
