package io.wharf.storage;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.wharf.common.db.Jdbc;
import io.wharf.common.db.Statements;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether anything Wharf keeps names an object of its bucket, for the sweeps that delete objects: a files row,
 * a user_uploads row, a migration job's recorded key, or an S3 column or S3 array of seed 001's tables (which
 * hold URLs, in any form whose path ends in the key: virtual-hosted, path-style, with a query). A sweep deletes
 * only what none of these names. The S3 columns are read whole (they have no index on their URLs): a pass costs
 * a scan of those tables, and runs only when there is something to delete.
 */
@ApplicationScoped
public class ObjectReferences {

    /** Seed 001's S3 columns (URLs) and S3 arrays (JSONB arrays of URLs), by table. */
    private static final List<String> S3_COLUMNS = List.of("business_profiles.avatar_s3_url", "business_profiles.logo_s3_url",
            "visibility_check_leads.report_s3_url");
    private static final List<String> S3_ARRAYS = List.of("business_profiles.document_s3_urls", "visibility_check_leads.screenshot_s3_urls",
            "business_partners.contract_s3_urls", "business_partners.verification_document_s3_urls");

    private final Jdbc jdbc;

    ObjectReferences(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The keys among {@code keys} that something names; {@code uploads}: whether user_uploads rows count. */
    public Set<String> named(String bucket, Collection<String> keys, boolean uploads) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        StringBuilder urls = new StringBuilder();
        for (String c : S3_COLUMNS) {
            String[] tc = c.split("\\.");
            urls.append(urls.isEmpty() ? "" : " UNION ALL ").append("SELECT ").append(tc[1]).append(" AS u FROM ").append(tc[0]).append(" WHERE ")
                    .append(tc[1]).append(" IS NOT NULL");
        }
        for (String c : S3_ARRAYS) {
            String[] tc = c.split("\\.");
            urls.append(" UNION ALL SELECT jsonb_array_elements_text(").append(tc[1]).append(") FROM ").append(tc[0])
                    .append(" WHERE jsonb_typeof(").append(tc[1]).append(") = 'array'");
        }
        // the path of each URL without its query, and without a leading bucket (path-style URLs)
        String paths = "SELECT split_part(regexp_replace(u, '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*/', ''), '?', 1) AS path FROM (" + urls + ") s";
        String sql = "WITH k AS (SELECT unnest(?::text[]) AS key), named AS (" + paths + ") "
                + "SELECT key FROM k WHERE EXISTS (SELECT 1 FROM files f WHERE f.s3_bucket = ? AND f.s3_key = k.key) "
                + "OR EXISTS (SELECT 1 FROM s3_migration_log j WHERE j.s3_bucket = ? AND j.s3_key = k.key) "
                + (uploads ? "OR EXISTS (SELECT 1 FROM user_uploads u WHERE u.s3_bucket = ? AND u.s3_key = k.key) " : "")
                + "OR k.key IN (SELECT path FROM named) OR ? || '/' || k.key IN (SELECT path FROM named)";
        return new HashSet<>(jdbc.query(sql, ps -> {
            int i = 1;
            ps.setArray(i++, Statements.array(ps, "text", keys));
            ps.setString(i++, bucket);
            ps.setString(i++, bucket);
            if (uploads) {
                ps.setString(i++, bucket);
            }
            ps.setString(i, bucket);
        }, rs -> rs.getString(1)));
    }
}
