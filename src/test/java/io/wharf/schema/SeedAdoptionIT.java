package io.wharf.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wharf.common.db.Jdbc;
import io.wharf.testing.AppProcess;
import io.wharf.testing.Sql;
import io.wharf.testing.TestDatabases;

/**
 * Databases the seeds' services left behind, each table in the leanest form its seed's text allows and
 * holding rows, adopted by the packaged application: it starts, keeps every row, passes its own schema
 * verification, serves the adopted data, and encrypts seed 003's plain-text secrets in the background.
 */
class SeedAdoptionIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "wharf_itadmin00000_integration-test-bootstrap-key-000000001";
    private static final String ADAPTER_KEY = "adapter-plaintext-key-0123456789abcdef";
    private static final String ADAPTER_TENANT = "22222222-2222-2222-2222-222222222222";
    private static final String LEGACY_TENANT = "00000000-0000-4000-8000-000000000001";
    private static final String SEED_CONNECTION = "Server=localhost;Database=test;";

    /** Each seed's tables, leanest form, with rows. Seed 003's second profile points at the test's own database. */
    static Map<String, List<String>> seeds(String pgUrl) {
        Map<String, List<String>> s = new LinkedHashMap<>();
        s.put("000", List.of(
                "CREATE TABLE transactions (id BIGSERIAL PRIMARY KEY, external_transaction_id TEXT, created_at TIMESTAMPTZ)",
                "CREATE TABLE transaction_records (id BIGSERIAL PRIMARY KEY, transaction_id BIGINT REFERENCES transactions (id))",
                "CREATE TABLE files (id BIGSERIAL PRIMARY KEY, url TEXT)",
                "INSERT INTO transactions (external_transaction_id, created_at) VALUES ('bma-legacy-1', now())",
                "INSERT INTO transaction_records (transaction_id) SELECT id FROM transactions",
                "INSERT INTO files (url) VALUES ('https://bucket.s3.amazonaws.com/a.jpg'), ('https://cdn.example.com/b.jpg')"));
        s.put("001", List.of(
                "CREATE TABLE business_partners (id UUID PRIMARY KEY)",
                "CREATE TABLE business_profiles (id UUID PRIMARY KEY)",
                "CREATE TABLE visibility_check_leads (id UUID PRIMARY KEY)",
                "CREATE TABLE user_uploads (id UUID PRIMARY KEY, user_id UUID, partner_id UUID REFERENCES business_partners (id), filename TEXT, "
                        + "original_filename TEXT, s3_url TEXT, s3_bucket TEXT, s3_key TEXT, content_type TEXT, file_size BIGINT, upload_type TEXT, "
                        + "is_public BOOLEAN, uploaded_at TIMESTAMPTZ, expires_at TIMESTAMPTZ, metadata JSONB, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ)",
                "CREATE TABLE s3_migration_log (id UUID PRIMARY KEY, table_name TEXT, record_id UUID, old_url TEXT, new_s3_url TEXT, "
                        + "migration_status TEXT, error_message TEXT, migrated_at TIMESTAMPTZ, created_at TIMESTAMPTZ)",
                "INSERT INTO business_partners (id) VALUES ('33333333-3333-3333-3333-333333333331')",
                "INSERT INTO business_profiles (id) VALUES ('33333333-3333-3333-3333-333333333332')",
                "INSERT INTO visibility_check_leads (id) VALUES ('33333333-3333-3333-3333-333333333333')",
                "INSERT INTO user_uploads (id, user_id, partner_id, filename, original_filename, s3_url, s3_bucket, s3_key, content_type, file_size, "
                        + "upload_type, is_public, uploaded_at) VALUES ('33333333-3333-3333-3333-333333333334', gen_random_uuid(), "
                        + "'33333333-3333-3333-3333-333333333331', 'a.jpg', 'Avatar.jpg', 'https://b.s3.amazonaws.com/a.jpg', 'b', 'a.jpg', "
                        + "'image/jpeg', 10, 'avatar', false, now())",
                "INSERT INTO s3_migration_log (id, table_name, record_id, old_url, migration_status, created_at) VALUES "
                        + "('33333333-3333-3333-3333-333333333335', 'business_profiles', '33333333-3333-3333-3333-333333333332', "
                        + "'https://old.example.com/a.jpg', 'pending', now())"));
        s.put("002", List.of(
                "CREATE TYPE file_type AS ENUM ('pdf', 'csv', 'xlsx', 'manual')",
                "CREATE TABLE schema_migrations (version VARCHAR(255) PRIMARY KEY, applied_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP, "
                        + "execution_time_ms INTEGER, checksum VARCHAR(64))",
                "INSERT INTO schema_migrations (version, execution_time_ms, checksum) VALUES ('001_initial_schema', 42, repeat('0', 64))"));
        s.put("003", List.of(
                "CREATE TABLE connector_profiles (id VARCHAR(255) PRIMARY KEY, profile_data JSONB NOT NULL, "
                        + "created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(), updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW())",
                "CREATE TABLE client_configs (client_id VARCHAR(255) PRIMARY KEY, config_data JSONB NOT NULL, "
                        + "created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(), updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW())",
                "CREATE TABLE service_proposals (proposal_id VARCHAR(255) PRIMARY KEY, proposal_data JSONB NOT NULL, "
                        + "created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW())",
                "INSERT INTO connector_profiles (id, profile_data) VALUES ('test-sql-connection', '{\"name\": \"Test SQL Server\", \"type\": \"sql\", "
                        + "\"connection_string\": \"" + SEED_CONNECTION
                        + "\", \"credentials\": {\"username\": \"testuser\", \"password\": \"testpass\"}}')",
                "INSERT INTO connector_profiles (id, profile_data) VALUES ('legacy-pg', '{\"name\": \"Own database\", \"type\": \"sql\", "
                        + "\"connection_string\": \"" + pgUrl
                        + "\", \"credentials\": {\"username\": \"postgres\", \"password\": \"legacy-pg-secret\"}}')",
                "INSERT INTO connector_profiles (id, profile_data) VALUES ('persist-test', '{\"name\": \"Persistence Test\", \"type\": \"sql\"}')",
                "INSERT INTO client_configs (client_id, config_data) VALUES ('test-client-001', '{\"client_name\": \"Test Corporation\", "
                        + "\"license_type\": \"professional\", \"modules\": [\"SCOR\", \"CRM\"]}')",
                "INSERT INTO service_proposals (proposal_id, proposal_data) VALUES ('prop-001', '{\"client_id\": \"test-client-001\", "
                        + "\"proposal_type\": \"implementation\", \"status\": \"draft\"}')"));
        s.put("004", List.of(
                "CREATE TYPE action_type_enum AS ENUM ('crm_create', 'crm_update')",
                "CREATE TYPE action_status_enum AS ENUM ('pending', 'success', 'failure')",
                "CREATE TABLE tenants (id UUID PRIMARY KEY, api_key VARCHAR(255) NOT NULL UNIQUE, provider_configs JSONB NOT NULL, "
                        + "is_active BOOLEAN NOT NULL, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)",
                "CREATE TABLE action_logs (id UUID PRIMARY KEY, tenant_id UUID NOT NULL REFERENCES tenants (id), action_type action_type_enum NOT NULL, "
                        + "provider_name VARCHAR(100) NOT NULL, request_payload JSONB, response_data JSONB, status action_status_enum NOT NULL, "
                        + "execution_time_ms INTEGER NOT NULL, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)",
                "CREATE TABLE audit_logs (id UUID PRIMARY KEY, tenant_id UUID NOT NULL REFERENCES tenants (id), user_id VARCHAR(255), "
                        + "action VARCHAR(100) NOT NULL, resource_type VARCHAR(100) NOT NULL, resource_id VARCHAR(255) NOT NULL, changes JSONB, "
                        + "ip_address VARCHAR(45), user_agent TEXT, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)",
                "INSERT INTO tenants VALUES ('" + ADAPTER_TENANT + "', '" + ADAPTER_KEY + "', '{\"hubspot\": {}}', true, now(), now())",
                "INSERT INTO action_logs VALUES ('44444444-4444-4444-4444-444444444441', '" + ADAPTER_TENANT + "', 'crm_create', 'hubspot', "
                        + "'{}', '{}', 'success', 12, now(), now())",
                "INSERT INTO audit_logs VALUES ('44444444-4444-4444-4444-444444444442', '" + ADAPTER_TENANT + "', 'u-17', 'create', 'contact', "
                        + "'c-1', '{}', '10.0.0.1', 'adapter/1.0', now(), now())"));
        return s;
    }

    /** Rows each seed inserted, by a key that must still find them after adoption. */
    private static final Map<String, String> KEPT = Map.of(
            "SELECT count(*) FROM transactions WHERE external_transaction_id = 'bma-legacy-1'", "1",
            "SELECT count(*) FROM transaction_records", "1",
            "SELECT string_agg(url || '=' || source, ',' ORDER BY id) FROM files",
            "https://bucket.s3.amazonaws.com/a.jpg=s3,https://cdn.example.com/b.jpg=ext",
            "SELECT count(*) FROM user_uploads WHERE original_filename = 'Avatar.jpg'", "1",
            "SELECT count(*) FROM s3_migration_log WHERE migration_status = 'pending'", "1",
            "SELECT count(*) FROM schema_migrations WHERE version = '001_initial_schema'", "1",
            "SELECT count(*) FROM connector_profiles WHERE tenant_id = '" + LEGACY_TENANT + "'", "3",
            "SELECT config_data->>'client_name' FROM client_configs WHERE client_id = 'test-client-001'", "Test Corporation",
            "SELECT count(*) FROM action_logs WHERE provider_name = 'hubspot'", "1",
            "SELECT count(*) FROM audit_logs WHERE user_id = 'u-17'", "1");

    private static void build(DataSource ds, List<String> statements) {
        statements.forEach(sql -> Sql.exec(ds, sql));
    }

    private static Map<String, String> config(String... extra) {
        Map<String, String> c = new HashMap<>(Map.of("wharf.auth.bootstrap-admin-key", ADMIN_KEY, "wharf.outbound.allowed-hosts", "localhost"));
        for (int i = 0; i < extra.length; i += 2) {
            c.put(extra[i], extra[i + 1]);
        }
        return c;
    }

    private static String plainSecretsLeft(DataSource ds) {
        return String.valueOf(Sql.scalar(ds, "SELECT count(*) FROM connector_profiles WHERE "
                + "(COALESCE(jsonb_typeof(profile_data->'connection_string'), 'null') <> 'null' AND left(profile_data->>'connection_string', 7) <> 'enc:v1:') "
                + "OR (COALESCE(jsonb_typeof(profile_data->'credentials'), 'null') <> 'null' AND left(profile_data->>'credentials', 7) <> 'enc:v1:')"));
    }

    @Test
    void adoptsEverySeedsLeanestTablesKeepsTheRowsAndEncryptsLegacySecretsInTheBackground() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_seeds")) {
            DataSource ds = db.dataSource();
            seeds(db.jdbcUrl()).values().forEach(statements -> build(ds, statements));

            // First start with the encryption job held back: plain-text rows are read as they are.
            try (AppProcess app = AppProcess.start(db, config("wharf.legacy-secrets.start-delay", "1h")).awaitUp(START)) {
                assertSchemaOk(app);
                // seed 004: the adapter's plain-text key still works; the tenant without a name got one
                assertThat(
                        app.call("POST", "/demo/clients", ADAPTER_KEY, "{\"client_id\": \"c\", \"client_name\": \"C\", \"license_type\": \"basic\"}")
                                .statusCode())
                        .isEqualTo(201);
                JsonNode adapter = JSON.readTree(app.call("GET", "/api/admin/tenants/" + ADAPTER_TENANT, ADMIN_KEY, null).body());
                assertThat(adapter.path("name").asText()).isNotBlank();

                String legacyKey = legacyKey(app);
                assertMaskedProfile(app, legacyKey);
                assertThat(JSON.readTree(app.call("GET", "/demo/clients/test-client-001", legacyKey, null).body()).path("modules").toString())
                        .isEqualTo("[\"SCOR\",\"CRM\"]");
                assertThat(JSON.readTree(app.call("GET", "/demo/proposals/prop-001", legacyKey, null).body()).path("status").asText())
                        .isEqualTo("draft");
                assertThat(plainSecretsLeft(ds)).isEqualTo("2");
                // the connection test uses the plain-text values of a row the job has not reached yet
                assertConnectionTestSucceeds(app, legacyKey);
                assertThat(plainSecretsLeft(ds)).as("the test's result is written back encrypted").isEqualTo("1");
            }
            KEPT.forEach((sql, expected) -> assertThat(String.valueOf(Sql.scalar(ds, sql))).as(sql).isEqualTo(expected));
            assertThat(SchemaContract.load(JSON).missingFrom(new SchemaRepository(Jdbc.of(ds)).catalog())).isEmpty();

            // Second start: the background job encrypts what is left, in batches, without holding start-up up.
            try (AppProcess app = AppProcess.start(db, config("wharf.legacy-secrets.batch-size", "1")).awaitUp(START)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!"0".equals(plainSecretsLeft(ds)) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(plainSecretsLeft(ds)).as(app.output()).isEqualTo("0");
                String stored = Sql.rows(ds, "SELECT profile_data::text AS d FROM connector_profiles").toString();
                assertThat(stored).doesNotContain(SEED_CONNECTION).doesNotContain("testpass").doesNotContain("legacy-pg-secret")
                        .doesNotContain(db.jdbcUrl());
                assertSchemaOk(app);
                String legacyKey = legacyKey(app);
                assertMaskedProfile(app, legacyKey);
                assertConnectionTestSucceeds(app, legacyKey);
                JsonNode audit = JSON.readTree(app.call("GET", "/api/admin/audit?tenantId=" + LEGACY_TENANT + "&action=encrypt_secrets",
                        ADMIN_KEY, null).body()).path("items");
                assertThat(audit).extracting(i -> i.path("resourceId").asText() + "/" + i.path("actorType").asText())
                        .contains("test-sql-connection/system");
                assertThat(audit.toString()).doesNotContain("testpass");
                assertThat(app.output()).contains("legacy connector profiles");
            }
            KEPT.forEach((sql, expected) -> assertThat(String.valueOf(Sql.scalar(ds, sql))).as(sql).isEqualTo(expected));
        }
    }

    /** Each seed alone, on a database of its own: no seed depends on another one's tables being there. */
    @Test
    void adoptsEachSeedOnItsOwn() throws Exception {
        for (Map.Entry<String, List<String>> seed : seeds("jdbc:postgresql://localhost:5432/none").entrySet()) {
            try (TestDatabases.Db db = TestDatabases.create("wharf_seed" + seed.getKey())) {
                build(db.dataSource(), seed.getValue());
                try (AppProcess app = AppProcess.start(db, config()).awaitUp(START)) {
                    assertSchemaOk(app);
                }
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed.getKey() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Stopped part-way and then run by two instances at once, the job encrypts every profile exactly once. */
    @Test
    void legacySecretEncryptionResumesAfterAStopAndTwoInstancesEncryptEachProfileOnce() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_seal2")) {
            DataSource ds = db.dataSource();
            build(ds, seeds(db.jdbcUrl()).get("003").subList(0, 3));
            Sql.exec(ds, "INSERT INTO connector_profiles (id, profile_data) SELECT 'bulk-' || g, jsonb_build_object('name', 'Bulk ' || g, "
                    + "'type', 'sql', 'connection_string', 'Server=db' || g || ';', 'credentials', jsonb_build_object('username', 'u' || g, "
                    + "'password', 'bulk-secret-' || g)) FROM generate_series(1, 3000) g");
            // stopped part-way, one batch per profile: what it did stays done, the rest is found again by its content
            try (AppProcess first = AppProcess.start(db, config("wharf.legacy-secrets.batch-size", "1", "wharf.legacy-secrets.start-delay", "0s"))) {
                first.awaitUp(START);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while ("3000".equals(plainSecretsLeft(ds)) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
            assertThat(Long.parseLong(plainSecretsLeft(ds))).as("stopped part-way").isBetween(1L, 2999L);
            Map<String, String> config = config("wharf.legacy-secrets.batch-size", "7", "wharf.legacy-secrets.start-delay", "0s");
            try (AppProcess a = AppProcess.start(db, config); AppProcess b = AppProcess.start(db, config)) {
                a.awaitUp(START);
                b.awaitUp(START);
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (!"0".equals(plainSecretsLeft(ds)) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(plainSecretsLeft(ds)).isEqualTo("0");
                assertThat(Sql.scalar(ds, "SELECT count(*) FROM connector_profiles WHERE profile_data::text LIKE '%bulk-secret-%'")).isEqualTo(0L);
                // every profile encrypted by exactly one of them: one audit row each
                assertThat(Sql.rows(ds,
                        "SELECT count(*) AS rows, count(DISTINCT resource_id) AS profiles FROM audit_logs WHERE action = 'encrypt_secrets'"))
                        .containsExactly(Map.of("rows", 3000L, "profiles", 3000L));
            }
        }
    }

    private static void assertSchemaOk(AppProcess app) throws Exception {
        var schema = app.call("GET", "/api/admin/schema", ADMIN_KEY, null);
        assertThat(schema.statusCode()).as(schema.body()).isEqualTo(200);
        assertThat(JSON.readTree(schema.body()).path("ok").asBoolean()).isTrue();
    }

    private static String legacyKey(AppProcess app) throws Exception {
        var issued = app.call("POST", "/api/admin/tenants/" + LEGACY_TENANT + "/keys", ADMIN_KEY, "{\"scopes\": [\"client\"]}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        return JSON.readTree(issued.body()).path("key").asText();
    }

    private static void assertMaskedProfile(AppProcess app, String key) throws Exception {
        var got = app.call("GET", "/connector/profiles/test-sql-connection", key, null);
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        JsonNode profile = JSON.readTree(got.body());
        assertThat(profile.path("name").asText()).isEqualTo("Test SQL Server");
        assertThat(profile.path("connection_string").asText()).isEqualTo("********");
        // jsonb kept the adopted object's keys in its own order
        assertThat(JSON.convertValue(profile.path("credentials"), Map.class)).isEqualTo(Map.of("username", "********", "password", "********"));
        assertThat(got.body()).doesNotContain("testpass").doesNotContain("enc:v1:");
    }

    private static void assertConnectionTestSucceeds(AppProcess app, String key) throws Exception {
        var tested = app.call("POST", "/connector/profiles/legacy-pg/test", key, null);
        assertThat(tested.statusCode()).as(tested.body()).isEqualTo(200);
        assertThat(JSON.readTree(tested.body()).path("status").asText()).as(tested.body()).isEqualTo("success");
    }
}
