package io.wharf.copy.queue;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import io.wharf.copy.Job;
import io.wharf.copy.LegacyColumn;
import io.wharf.copy.Outcome;

/**
 * Points the rows that held legacy URLs at their S3 copies, and records each copy in user_uploads. A position
 * or column takes the S3 URL only while the row still holds the legacy URL and its S3 place is empty (or
 * already holds a copy of this same job, which a new copy replaces): a URL changed after the scan, or an S3 URL
 * written by a new upload meanwhile, is never overwritten. A files row takes the stored (sniffed) type. Files rows and single URL columns are written with one statement per column for a whole
 * batch (arrays unnested); URL arrays, where several jobs may share a row, are written job by job.
 */
final class SourceRows {

    private static final UUID NO_USER = new UUID(0, 0);

    /** The row a file belongs to, once it points at the S3 copy. */
    record Source(UUID tenant, UUID user, UUID partner, String resourceType, String resourceId) {
    }

    private final String bucket;

    SourceRows(String bucket) {
        this.bucket = bucket;
    }

    /** Writes the S3 URL of each copy into its source row; answers the sources written, by job id (absent: the row no longer holds the URL). */
    Map<UUID, Source> write(Connection c, List<Outcome.Copied> copies) throws SQLException {
        Map<UUID, Source> written = new HashMap<>();
        Map<LegacyColumn, List<Outcome.Copied>> byColumn = new EnumMap<>(LegacyColumn.class);
        for (Outcome.Copied o : copies) {
            LegacyColumn col = o.job().column();
            if (col != null && !col.array) {
                byColumn.computeIfAbsent(col, k -> new ArrayList<>()).add(o);
                continue;
            }
            // jobs written by seed 001's own scripts name no column: each URL column of the table is tried
            List<LegacyColumn> candidates = col != null ? List.of(col)
                    : o.job().sourceColumn() == null || o.job().sourceColumn().isEmpty() ? LegacyColumn.of(o.job().table()) : List.of();
            for (LegacyColumn candidate : candidates) {
                Source s = candidate == LegacyColumn.FILES ? files(c, List.of(o)).get(o.job().id())
                        : candidate.array ? writeArray(c, o, candidate) : single(c, candidate, List.of(o)).get(o.job().id());
                if (s != null) {
                    written.put(o.job().id(), s);
                    break;
                }
            }
        }
        for (Map.Entry<LegacyColumn, List<Outcome.Copied>> e : byColumn.entrySet()) {
            written.putAll(e.getKey() == LegacyColumn.FILES ? files(c, e.getValue()) : single(c, e.getKey(), e.getValue()));
        }
        return written;
    }

    private Map<UUID, Source> files(Connection c, List<Outcome.Copied> copies) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE files f SET source = 's3', s3_bucket = ?, s3_key = v.key, url = v.url, "
                + "size_bytes = v.bytes, checksum_sha256 = v.sha, content_type = v.ctype "
                + "FROM unnest(?::uuid[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::text[], ?::text[]) "
                + "AS v(job, file_id, old, key, url, bytes, sha, ctype, mine) "
                + "WHERE f.id = v.file_id AND ((f.url = v.old AND f.source = 'ext') OR (f.s3_bucket = ? AND starts_with(f.s3_key, v.mine))) "
                + "RETURNING v.job, f.tenant_id, f.id")) {
            ps.setString(1, bucket);
            ps.setArray(2, array(c, "uuid", copies, o -> o.job().id()));
            ps.setArray(3, array(c, "int8", copies, o -> o.job().fileId()));
            ps.setArray(4, array(c, "text", copies, o -> o.job().oldUrl()));
            ps.setArray(5, array(c, "text", copies, Outcome.Copied::key));
            ps.setArray(6, array(c, "text", copies, Outcome.Copied::url));
            ps.setArray(7, array(c, "int8", copies, Outcome.Copied::bytes));
            ps.setArray(8, array(c, "text", copies, Outcome.Copied::sha256Hex));
            ps.setArray(9, array(c, "text", copies, Outcome.Copied::contentType));
            ps.setArray(10, array(c, "text", copies, Outcome.Copied::keyPrefix));
            ps.setString(11, bucket);
            Map<UUID, Source> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class),
                            new Source(rs.getObject(2, UUID.class), NO_USER, null, "file", Long.toString(rs.getLong(3))));
                }
            }
            return out;
        }
    }

    private static Map<UUID, Source> single(Connection c, LegacyColumn col, List<Outcome.Copied> copies) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + col.table + " t SET " + col.s3Column + " = v.url "
                + "FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[]) AS v(job, rec, old, url, mine) "
                + "WHERE t.id = v.rec AND t." + col.column + " = v.old AND (COALESCE(t." + col.s3Column + ", '') = '' OR starts_with(t."
                + col.s3Column + ", v.mine)) "
                + "RETURNING v.job, t.id, " + owners(col))) {
            ps.setArray(1, array(c, "uuid", copies, o -> o.job().id()));
            ps.setArray(2, array(c, "uuid", copies, o -> o.job().recordId()));
            ps.setArray(3, array(c, "text", copies, o -> o.job().oldUrl()));
            ps.setArray(4, array(c, "text", copies, Outcome.Copied::url));
            ps.setArray(5, array(c, "text", copies, Outcome.Copied::urlPrefix));
            Map<UUID, Source> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), source(col, rs, 3, rs.getObject(2, UUID.class)));
                }
            }
            return out;
        }
    }

    private static Source writeArray(Connection c, Outcome.Copied o, LegacyColumn col) throws SQLException {
        String urls = "t." + col.column;
        String s3 = "(CASE WHEN jsonb_typeof(t." + col.s3Column + ") = 'array' THEN t." + col.s3Column + " ELSE '[]'::jsonb END)";
        String positions = "generate_series(0, greatest(jsonb_array_length(" + urls + "), jsonb_array_length(" + s3 + ")) - 1) AS i";
        // positions beyond the URL array keep what they hold
        String free = "(COALESCE(" + s3 + " ->> i, '') = '' OR starts_with(" + s3 + " ->> i, ?))";
        String set = col.s3Column + " = (SELECT COALESCE(jsonb_agg(CASE WHEN " + urls + " ->> i = ? AND " + free + " "
                + "THEN to_jsonb(?::text) ELSE COALESCE(" + s3 + " -> i, 'null'::jsonb) END ORDER BY i), '[]'::jsonb) FROM " + positions + ")";
        String holds = "jsonb_typeof(" + urls + ") = 'array' AND EXISTS (SELECT 1 FROM generate_series(0, jsonb_array_length(" + urls + ") - 1) AS i "
                + "WHERE " + urls + " ->> i = ? AND " + free + ")";
        try (PreparedStatement ps = c
                .prepareStatement("UPDATE " + col.table + " t SET " + set + " WHERE t.id = ? AND " + holds + " RETURNING " + owners(col))) {
            Job job = o.job();
            int i = 1;
            ps.setString(i++, job.oldUrl());
            ps.setString(i++, o.urlPrefix());
            ps.setString(i++, o.url());
            ps.setObject(i++, job.recordId());
            ps.setString(i++, job.oldUrl());
            ps.setString(i, o.urlPrefix());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? source(col, rs, 1, job.recordId()) : null;
            }
        }
    }

    private static String owners(LegacyColumn col) {
        return switch (col.table) {
            case "business_profiles" -> "t.user_id, t.partner_id";
            case "business_partners" -> "NULL::uuid, t.id";
            default -> "NULL::uuid, NULL::uuid";
        };
    }

    private static Source source(LegacyColumn col, ResultSet rs, int from, UUID record) throws SQLException {
        UUID user = rs.getObject(from, UUID.class);
        return new Source(OutcomeWriter.LEGACY_TENANT, user == null ? NO_USER : user, rs.getObject(from + 1, UUID.class), col.table,
                record.toString());
    }

    /** One user_uploads row per written copy (its bucket and key are unique: a copy recorded before is left as it is). */
    void recordUploads(Connection c, List<Outcome.Copied> copies, Map<UUID, Source> sources) throws SQLException {
        if (copies.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_uploads (tenant_id, user_id, partner_id, filename, original_filename, "
                + "s3_url, s3_bucket, s3_key, content_type, file_size, upload_type, is_public, metadata, upload_status, completed_at) "
                + "SELECT v.tenant, v.usr, v.partner, v.filename, v.original, v.url, ?, v.key, v.ctype, v.bytes, v.utype, FALSE, "
                + "jsonb_build_object('migrated_from', v.old, 'migration_job_id', v.job::text, 'source', v.src), 'completed', now() "
                + "FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::text[], "
                + "?::text[], ?::uuid[], ?::text[]) AS v(tenant, usr, partner, filename, original, url, key, ctype, bytes, utype, old, job, src) "
                + "ON CONFLICT (s3_bucket, s3_key) DO NOTHING")) {
            Function<Outcome.Copied, Source> src = o -> sources.get(o.job().id());
            ps.setString(1, bucket);
            ps.setArray(2, array(c, "uuid", copies, o -> src.apply(o).tenant()));
            ps.setArray(3, array(c, "uuid", copies, o -> src.apply(o).user()));
            ps.setArray(4, array(c, "uuid", copies, o -> src.apply(o).partner()));
            ps.setArray(5, array(c, "text", copies, o -> o.key().substring(o.key().lastIndexOf('/') + 1)));
            ps.setArray(6, array(c, "text", copies, o -> Job.originalName(o.job().oldUrl())));
            ps.setArray(7, array(c, "text", copies, Outcome.Copied::url));
            ps.setArray(8, array(c, "text", copies, Outcome.Copied::key));
            ps.setArray(9, array(c, "text", copies, Outcome.Copied::contentType));
            ps.setArray(10, array(c, "int8", copies, Outcome.Copied::bytes));
            ps.setArray(11, array(c, "text", copies, o -> uploadType(o.job())));
            ps.setArray(12, array(c, "text", copies, o -> o.job().oldUrl()));
            ps.setArray(13, array(c, "uuid", copies, o -> o.job().id()));
            ps.setArray(14, array(c, "text", copies, o -> o.job().table() + "." + o.job().sourceColumn()));
            ps.executeUpdate();
        }
    }

    private static String uploadType(Job job) {
        LegacyColumn col = job.column() != null ? job.column() : LegacyColumn.of(job.table()).get(0);
        return col.uploadType;
    }

    static <T> Array array(Connection c, String type, List<T> items, Function<T, Object> value) throws SQLException {
        Object[] values = new Object[items.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value.apply(items.get(i));
        }
        return c.createArrayOf(type, values);
    }

    /** Whether a user_uploads row records the key (a copy of an earlier migration of the job, still in use). */
    boolean recorded(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM user_uploads WHERE s3_bucket = ? AND s3_key = ?")) {
            ps.setString(1, bucket);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
