package io.wharf.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wharf.testing.Sql;
import jakarta.inject.Inject;

/**
 * Other systems query Wharf's database with the SQL printed in the seeds. Each query below is copied
 * from its seed unchanged and must run against the schema Wharf migrated, returning the rows the
 * test put there.
 */
@QuarkusTest
class SeedSqlTest {

    // ---- seed 000, "Step 5: Verify in Database" ----
    private static final String STEP5_FILES = """
            SELECT
                f.id,
                f.source,
                f.file_type,
                LEFT(f.url, 80) AS url,
                tr.id AS transaction_record_id,
                t.id AS transaction_id
            FROM files f
            LEFT JOIN transaction_records tr ON f.related_entity_id = tr.id
                AND f.related_entity_type = 'transaction_record'
            LEFT JOIN transactions t ON tr.transaction_id = t.id
            WHERE f.file_type = 'transaction_record_image'
            ORDER BY f.created_at DESC
            LIMIT 10;
            """;
    private static final String STEP5_TRANSACTIONS = """
            SELECT
                t.id AS transaction_id,
                t.external_transaction_id,
                COUNT(tr.id) AS record_count
            FROM transactions t
            LEFT JOIN transaction_records tr ON tr.transaction_id = t.id
            WHERE t.created_at > NOW() - INTERVAL '1 hour'
            GROUP BY t.id, t.external_transaction_id
            ORDER BY t.created_at DESC;
            """;
    // ---- seed 000, "Troubleshooting" ----
    private static final String DIAG_COLUMNS = """
            SELECT * FROM information_schema.columns
            WHERE table_name = 'files' AND column_name IN ('source', 'observation');
            """;
    private static final String DIAG_ENUM = """
            SELECT typname FROM pg_type WHERE typname = 'file_source';
            """;
    private static final String DIAG_NULL_SOURCE = """
            SELECT id, source, url FROM files WHERE source IS NULL LIMIT 5;
            """;
    private static final String BACKFILL_SOURCE = """
            UPDATE files
            SET source = CASE
                WHEN url LIKE '%s3.amazonaws.com%' THEN 's3'::file_source
                ELSE 'ext'::file_source
            END
            WHERE source IS NULL;
            """;
    // ---- seed 001, "Monitoring Migration Progress", "New Functions", "Manual Verification" ----
    private static final String PROGRESS = "SELECT * FROM s3_migration_progress;";
    private static final String DETAILED_LOG = """
            SELECT\s
                table_name,
                migration_status,
                COUNT(*) as count,
                MIN(created_at) as first_entry,
                MAX(migrated_at) as last_migration
            FROM s3_migration_log\s
            GROUP BY table_name, migration_status
            ORDER BY table_name, migration_status;
            """;
    private static final String FAILED = "SELECT * FROM s3_migration_log WHERE migration_status = 'failed';";
    private static final String GENERATE_URL = "SELECT generate_s3_url('matbakh-files-profile', 'avatars/user123', gen_random_uuid(), 'jpg');";
    private static final String UPLOAD_CONSTRAINTS = """
            SELECT * FROM information_schema.table_constraints\s
            WHERE table_name = 'user_uploads';
            """;
    // ---- seed 003, "Performance Considerations" ----
    private static final String RECENT_PROFILES = """
            SELECT * FROM connector_profiles\s
            WHERE created_at > NOW() - INTERVAL '7 days'
            ORDER BY created_at DESC;
            """;
    private static final String CONFIGS_2025 = """
            SELECT * FROM client_configs\s
            WHERE created_at BETWEEN '2025-01-01' AND '2025-12-31';
            """;
    private static final String SQL_PROFILES = """
            SELECT * FROM connector_profiles\s
            WHERE profile_data->>'type' = 'sql';
            """;
    private static final String PROFILE_FIELDS = """
            SELECT\s
                id,
                profile_data->>'name' AS name,
                profile_data->>'type' AS type,
                created_at
            FROM connector_profiles;
            """;

    @Inject
    DataSource ds;

    /** Each test owns its rows through a tenant of its own. */
    private String tenant() {
        return Sql.scalar(ds, "INSERT INTO tenants (name) VALUES (?) RETURNING id", "seed-sql-" + UUID.randomUUID()).toString();
    }

    @Test
    void step5QueriesReturnTheTransactionTheirRecordsAndTheirImages() {
        String external = "BMA-" + UUID.randomUUID();
        UUID tenant = UUID.fromString(tenant());
        long txId = ((Number) Sql.scalar(ds, "INSERT INTO transactions (tenant_id, external_transaction_id) VALUES (?, ?) RETURNING id", tenant,
                external)).longValue();
        long recordA = ((Number) Sql.scalar(ds, "INSERT INTO transaction_records (transaction_id, record_index) VALUES (?, 0) RETURNING id", txId))
                .longValue();
        Sql.exec(ds, "INSERT INTO transaction_records (transaction_id, record_index) VALUES (?, 1)", txId);
        long fileId = ((Number) Sql.scalar(ds, """
                INSERT INTO files (tenant_id, url, s3_key, s3_bucket, file_type, related_entity_type, related_entity_id)
                VALUES (?, ?, ?, 'wharf-files', 'transaction_record_image', 'transaction_record', ?) RETURNING id""",
                tenant, "https://wharf-files.s3.amazonaws.com/bma/" + external + ".jpg", "bma/" + external + ".jpg", recordA)).longValue();

        List<Map<String, Object>> files = Sql.rows(ds, STEP5_FILES);
        assertThat(files).anySatisfy(row -> {
            assertThat(((Number) row.get("id")).longValue()).isEqualTo(fileId);
            assertThat(row.get("source")).hasToString("s3");
            assertThat(((Number) row.get("transaction_record_id")).longValue()).isEqualTo(recordA);
            assertThat(((Number) row.get("transaction_id")).longValue()).isEqualTo(txId);
            assertThat((String) row.get("url")).startsWith("https://wharf-files.s3.amazonaws.com/bma/");
        });

        assertThat(Sql.rows(ds, STEP5_TRANSACTIONS)).anySatisfy(row -> {
            assertThat(row.get("external_transaction_id")).isEqualTo(external);
            assertThat(((Number) row.get("record_count")).intValue()).isEqualTo(2);
        });
    }

    @Test
    void troubleshootingQueriesFindTheColumnsTheEnumAndBackfillNullSources() {
        assertThat(Sql.rows(ds, DIAG_COLUMNS)).extracting(r -> r.get("column_name")).containsExactlyInAnyOrder("source", "observation");
        assertThat(Sql.rows(ds, DIAG_ENUM)).extracting(r -> r.get("typname")).containsExactly("file_source");

        String tag = UUID.randomUUID().toString();
        UUID tenant = UUID.fromString(tenant());
        long onS3 = ((Number) Sql.scalar(ds, "INSERT INTO files (tenant_id, url, source, file_type) VALUES (?, ?, NULL, ?) RETURNING id",
                tenant, "https://legacy.s3.amazonaws.com/" + tag + ".png", tag)).longValue();
        long external = ((Number) Sql.scalar(ds, "INSERT INTO files (tenant_id, url, source, file_type) VALUES (?, ?, NULL, ?) RETURNING id",
                tenant, "https://cdn.example.com/" + tag + ".png", tag)).longValue();
        assertThat(Sql.rows(ds, DIAG_NULL_SOURCE)).extracting(r -> ((Number) r.get("id")).longValue()).contains(onS3, external);

        Sql.exec(ds, BACKFILL_SOURCE);

        assertThat(Sql.scalar(ds, "SELECT source::text FROM files WHERE id = ?", onS3)).isEqualTo("s3");
        assertThat(Sql.scalar(ds, "SELECT source::text FROM files WHERE id = ?", external)).isEqualTo("ext");
        assertThat(Sql.rows(ds, DIAG_NULL_SOURCE)).isEmpty();
    }

    @Test
    void verificationScriptShowsTheExpectedColumnsAndIndexes() {
        List<Map<String, Object>> columns = Sql.rows(ds, """
                SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
                WHERE table_name = 'files' AND column_name IN ('url', 's3_key', 's3_bucket', 'source', 'observation')""");
        assertThat(columns)
                .extracting(r -> r.get("column_name") + "|" + r.get("data_type") + "|" + r.get("is_nullable") + "|" + r.get("column_default"))
                .containsExactlyInAnyOrder("url|text|YES|null", "s3_key|text|YES|null", "s3_bucket|text|YES|null",
                        "source|USER-DEFINED|YES|'s3'::file_source", "observation|jsonb|YES|null");
        assertThat(Sql.rows(ds,
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'files' AND indexname IN ('idx_files_observation', 'idx_files_source')"))
                .extracting(r -> (String) r.get("indexdef"))
                .anySatisfy(def -> assertThat(def).startsWith("CREATE INDEX idx_files_observation ON").contains("USING gin (observation)"))
                .anySatisfy(def -> assertThat(def).startsWith("CREATE INDEX idx_files_source ON"));
        assertThat(Sql.rows(ds,
                "SELECT enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'file_source' ORDER BY e.enumsortorder"))
                .extracting(r -> r.get("enumlabel")).containsExactly("s3", "ext");
    }

    @Test
    void monitoringQueriesReportTheQueueByTableAndStatus() {
        String table = "probe_" + UUID.randomUUID().toString().replace("-", "");
        for (String status : List.of("pending", "pending", "migrated", "failed")) {
            Sql.exec(ds,
                    """
                    INSERT INTO s3_migration_log (table_name, record_id, source_column, old_url, migration_status, migrated_at, error_message)
                    VALUES (?, gen_random_uuid(), 'avatar_url', ?, ?, CASE WHEN ? = 'migrated' THEN NOW() END, CASE WHEN ? = 'failed' THEN 'HTTP 404' END)""",
                    table, "https://old.example.com/" + UUID.randomUUID(), status, status, status);
        }

        assertThat(Sql.rows(ds, PROGRESS)).filteredOn(r -> table.equals(r.get("table_name")))
                .extracting(r -> r.get("migration_status") + "=" + r.get("count") + "@" + r.get("percentage"))
                .containsExactlyInAnyOrder("pending=2@50.00", "migrated=1@25.00", "failed=1@25.00");
        assertThat(Sql.rows(ds, DETAILED_LOG)).filteredOn(r -> table.equals(r.get("table_name")))
                .extracting(r -> r.get("migration_status") + "=" + r.get("count"))
                .containsExactly("failed=1", "migrated=1", "pending=2");
        assertThat(Sql.rows(ds, FAILED)).filteredOn(r -> table.equals(r.get("table_name")))
                .singleElement().satisfies(r -> assertThat(r.get("error_message")).isEqualTo("HTTP 404"));
    }

    @Test
    void generateS3UrlAndUserUploadConstraintsWorkAsDocumented() {
        String url = (String) Sql.scalar(ds, GENERATE_URL);
        assertThat(url).matches("https://matbakh-files-profile\\.s3\\.amazonaws\\.com/avatars/user123/[0-9a-f-]{36}\\.jpg");
        assertThat(Sql.scalar(ds, "SELECT generate_s3_url('b', '/reports/', '00000000-0000-0000-0000-000000000001', '.PDF')"))
                .isEqualTo("https://b.s3.amazonaws.com/reports/00000000-0000-0000-0000-000000000001.pdf");

        assertThat(Sql.rows(ds, UPLOAD_CONSTRAINTS)).extracting(r -> r.get("constraint_name") + ":" + r.get("constraint_type"))
                .contains("user_uploads_pkey:PRIMARY KEY", "chk_user_uploads_upload_type:CHECK", "uq_user_uploads_bucket_key:UNIQUE")
                .anySatisfy(c -> assertThat(c).endsWith(":FOREIGN KEY"));
        assertThat(Sql.rows(ds, "SELECT indexname FROM pg_indexes WHERE tablename = 'user_uploads'")).extracting(r -> r.get("indexname"))
                .contains("idx_user_uploads_user_id", "idx_user_uploads_partner_id", "idx_user_uploads_type",
                        "idx_user_uploads_expires", "idx_user_uploads_bucket", "idx_user_uploads_uploaded_at");
    }

    @Test
    void persistentStorageQueriesFilterByTimeAndJsonbFields() {
        String sqlId = "seed-sql-" + UUID.randomUUID();
        String apiId = "seed-api-" + UUID.randomUUID();
        String clientId = "seed-client-" + UUID.randomUUID();
        UUID tenant = UUID.fromString(tenant());
        Sql.exec(ds, "INSERT INTO connector_profiles (tenant_id, id, profile_data) VALUES (?, ?, ?::jsonb)", tenant, sqlId,
                "{\"name\": \"Test SQL Server\", \"type\": \"sql\"}");
        Sql.exec(ds, "INSERT INTO connector_profiles (tenant_id, id, profile_data, created_at) VALUES (?, ?, ?::jsonb, NOW() - INTERVAL '30 days')",
                tenant, apiId, "{\"name\": \"Old API\", \"type\": \"api\"}");
        Sql.exec(ds, "INSERT INTO client_configs (tenant_id, client_id, config_data, created_at) VALUES (?, ?, ?::jsonb, '2025-06-01T12:00:00Z')",
                tenant, clientId, "{\"client_name\": \"Test Corporation\"}");

        assertThat(Sql.rows(ds, RECENT_PROFILES)).extracting(r -> r.get("id")).contains(sqlId).doesNotContain(apiId);
        assertThat(Sql.rows(ds, CONFIGS_2025)).extracting(r -> r.get("client_id")).contains(clientId);
        assertThat(Sql.rows(ds, SQL_PROFILES)).extracting(r -> r.get("id")).contains(sqlId).doesNotContain(apiId);
        assertThat(Sql.rows(ds, PROFILE_FIELDS)).filteredOn(r -> sqlId.equals(r.get("id")))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("name")).isEqualTo("Test SQL Server");
                    assertThat(r.get("type")).isEqualTo("sql");
                });
        assertThat(Sql.rows(ds, "SELECT c.relname, obj_description(c.oid, 'pg_class') AS comment FROM pg_class c "
                + "WHERE c.relname IN ('connector_profiles', 'client_configs', 'service_proposals')"))
                .hasSize(3).allSatisfy(r -> assertThat((String) r.get("comment")).isNotBlank());
        assertThat(Sql.rows(ds, "SELECT indexname FROM pg_indexes WHERE indexname IN ('idx_connector_profiles_data', "
                + "'idx_client_configs_data', 'idx_service_proposals_data', 'ix_connector_profiles_created_at', "
                + "'ix_client_configs_created_at', 'ix_service_proposals_created_at')")).hasSize(6);
    }
}
