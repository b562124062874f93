package io.wharf.copy.queue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hibernate.Session;

import io.wharf.copy.Job;
import io.wharf.copy.LegacyColumn;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * One batch of the scan: the next rows of a table by primary key, and one pending job per legacy URL in them
 * whose S3 column is still empty, in the caller's transaction. {@code uq_s3_migration_log_source} makes a
 * second scan add nothing. A dry run counts the jobs that would be added instead.
 */
@ApplicationScoped
public class ScanRepository {

    /** Where the batch ended (null: the table is done), and per column the URLs found and the jobs added. */
    public record Batch(String lastId, int rows, Map<String, long[]> perColumn) {
    }

    private final EntityManager em;

    public ScanRepository(EntityManager em) {
        this.em = em;
    }

    public Batch scan(String table, String afterId, int limit, boolean dryRun) {
        List<LegacyColumn> columns = LegacyColumn.of(table);
        boolean files = table.equals("files");
        String idType = files ? "bigint" : "uuid";
        StringBuilder sql = new StringBuilder("WITH batch AS (SELECT * FROM ").append(table).append(" WHERE ")
                .append(files ? "source = 'ext' AND url IS NOT NULL AND " : "")
                .append(afterId == null ? "TRUE" : "id > CAST(? AS " + idType + ")").append(" ORDER BY id LIMIT ?)");
        int n = 0;
        for (LegacyColumn c : columns) {
            sql.append(", cand").append(n).append(" AS (").append(candidates(c)).append(")");
            if (!dryRun) {
                sql.append(", ins").append(n)
                        .append(" AS (INSERT INTO s3_migration_log (table_name, record_id, file_id, source_column, old_url, owner_tenant_id) ")
                        .append("SELECT '").append(c.table).append("', record_id, file_id, '").append(c.column).append("', url, owner FROM cand")
                        .append(n)
                        .append(" ON CONFLICT DO NOTHING RETURNING 1)");
            }
            n++;
        }
        sql.append(" SELECT (SELECT id::text FROM batch ORDER BY id DESC LIMIT 1), (SELECT count(*) FROM batch)");
        for (int i = 0; i < n; i++) {
            sql.append(", (SELECT count(*) FROM cand").append(i).append(")");
            sql.append(dryRun ? ", (SELECT count(*) FROM cand" + i + " c WHERE NOT EXISTS (SELECT 1 FROM s3_migration_log j WHERE j.table_name = '"
                    + columns.get(i).table + "' AND j.record_id = c.record_id AND j.source_column = '" + columns.get(i).column
                    + "' AND COALESCE(j.old_url, '') = c.url))" : ", (SELECT count(*) FROM ins" + i + ")");
        }
        return em.unwrap(Session.class).doReturningWork(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
                int p = 1;
                if (afterId != null) {
                    ps.setString(p++, afterId);
                }
                ps.setInt(p, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Map<String, long[]> per = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        per.put(columns.get(i).column, new long[] { rs.getLong(3 + 2 * i), rs.getLong(4 + 2 * i) });
                    }
                    return new Batch(rs.getString(1), rs.getInt(2), per);
                }
            }
        });
    }

    /** The batch's legacy URLs of one column that have no S3 URL yet: (record_id, file_id, url). */
    private static String candidates(LegacyColumn c) {
        if (c == LegacyColumn.FILES) {
            // a file's job is its tenant's (a fair share of copy slots); the seed tables' are the operator's
            return "SELECT files_record_uuid(id) AS record_id, id AS file_id, url, COALESCE(tenant_id, '" + Job.OPERATOR
                    + "') AS owner FROM batch";
        }
        if (!c.array) {
            return "SELECT id AS record_id, NULL::bigint AS file_id, " + c.column + " AS url, '" + Job.OPERATOR
                    + "'::uuid AS owner FROM batch WHERE " + c.column + " IS NOT NULL AND btrim("
                    + c.column + ") <> '' AND COALESCE(" + c.s3Column + ", '') = ''";
        }
        // each element of the URL array whose S3 array has nothing at the same position
        return "SELECT DISTINCT b.id AS record_id, NULL::bigint AS file_id, e.url, '" + Job.OPERATOR
                + "'::uuid AS owner FROM batch b, jsonb_array_elements_text(CASE WHEN jsonb_typeof(b."
                + c.column + ") = 'array' THEN b." + c.column + " ELSE '[]'::jsonb END) WITH ORDINALITY AS e(url, ord) WHERE btrim(e.url) <> '' "
                + "AND COALESCE(CASE WHEN jsonb_typeof(b." + c.s3Column + ") = 'array' THEN b." + c.s3Column + " ->> (e.ord::int - 1) END, '') = ''";
    }
}
