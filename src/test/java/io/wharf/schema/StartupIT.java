package io.wharf.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wharf.common.db.Jdbc;
import io.wharf.testing.AppProcess;
import io.wharf.testing.Migrations;
import io.wharf.testing.Sql;
import io.wharf.testing.TestDatabases;

/** What the deployed artifact does at start-up, each case on a database of its own. */
class StartupIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final String ADMIN_KEY = "wharf_itadmin00000_integration-test-bootstrap-key-000000001";
    private static final String LEGACY_KEY = "adapter-plaintext-key-0123456789abcdef";

    private static List<String> withBaseline() {
        return Stream.concat(Stream.of("0"), Migrations.versions().stream()).toList();
    }

    @Test
    void adoptsAnExistingDatabaseKeepingEveryRowAndBackfillingSource() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_adopt")) {
            var ds = db.dataSource();
            // The state seed 000 repaired: files without source/observation, already holding rows.
            Sql.exec(ds,
                    "CREATE TABLE files (id SERIAL PRIMARY KEY, url TEXT, s3_key TEXT, s3_bucket TEXT, file_type TEXT, created_at TIMESTAMPTZ DEFAULT NOW())");
            Sql.exec(ds,
                    "INSERT INTO files (url, file_type) VALUES ('https://bucket.s3.amazonaws.com/a.jpg', 'transaction_record_image'), ('https://cdn.example.com/b.jpg', 'transaction_record_image'), (NULL, 'other')");
            // The adapter service's tenants table, with an API key in plain text.
            Sql.exec(ds, "CREATE TABLE tenants (id UUID PRIMARY KEY, name VARCHAR(255) NOT NULL, api_key VARCHAR(255) NOT NULL UNIQUE, "
                    + "provider_configs JSONB NOT NULL DEFAULT '{}', is_active BOOLEAN NOT NULL DEFAULT true, metadata JSONB, "
                    + "created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            Sql.exec(ds, "INSERT INTO tenants (id, name, api_key) VALUES ('11111111-1111-1111-1111-111111111111', 'adapter', ?)", LEGACY_KEY);
            // Seed 003's "relation already exists": connector_profiles made by hand, with rows.
            Sql.exec(ds,
                    "CREATE TABLE connector_profiles (id VARCHAR(255) PRIMARY KEY, profile_data JSONB NOT NULL, created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(), updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW())");
            Sql.exec(ds,
                    "INSERT INTO connector_profiles (id, profile_data) VALUES ('legacy-1', '{\"name\": \"Legacy\", \"type\": \"sql\"}'), ('legacy-2', '{\"name\": \"Other\", \"type\": \"api\"}')");

            try (AppProcess app = AppProcess.start(db, Map.of("wharf.auth.bootstrap-admin-key", ADMIN_KEY)).awaitUp(START)) {
                assertThat(new ObjectMapper().readTree(app.call("GET", "/api/admin/schema", ADMIN_KEY, null).body()).get("ok").asBoolean()).isTrue();
                // the adapter's key still works, now checked against its hash; the legacy rows belong to the 'legacy' tenant
                assertThat(
                        app.call("POST", "/demo/clients", LEGACY_KEY, "{\"client_id\": \"c\", \"client_name\": \"C\", \"license_type\": \"basic\"}")
                                .statusCode())
                        .isEqualTo(201);
                assertThat(app.call("GET", "/connector/profiles/legacy-1", LEGACY_KEY, null).statusCode()).isEqualTo(404);
            }
            assertThat(Sql.rows(ds, "SELECT column_name FROM information_schema.columns WHERE table_name = 'tenants' AND column_name = 'api_key'"))
                    .isEmpty();
            assertThat(Sql.rows(ds, "SELECT 1 FROM api_keys WHERE key_hash = encode(sha256(?::bytea), 'hex')", LEGACY_KEY)).hasSize(1);
            assertThat(Sql.scalar(ds, "SELECT t.name FROM connector_profiles p JOIN tenants t ON t.id = p.tenant_id WHERE p.id = 'legacy-1'"))
                    .isEqualTo("legacy");

            assertThat(Sql.rows(ds, "SELECT url, source::text AS source FROM files ORDER BY id"))
                    .extracting(r -> r.get("url") + "=" + r.get("source"))
                    .containsExactly("https://bucket.s3.amazonaws.com/a.jpg=s3", "https://cdn.example.com/b.jpg=ext", "null=ext");
            assertThat(Sql.rows(ds, "SELECT id, profile_data->>'name' AS name FROM connector_profiles ORDER BY id"))
                    .extracting(r -> r.get("id") + ":" + r.get("name")).containsExactly("legacy-1:Legacy", "legacy-2:Other");
            assertThat(Sql.rows(ds, "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
                    .extracting(r -> (String) r.get("version")).containsExactlyElementsOf(withBaseline());
            assertThat(SchemaContract.load(new ObjectMapper()).missingFrom(new SchemaRepository(Jdbc.of(ds)).catalog())).isEmpty();
        }
    }

    @Test
    void refusesToStartWhenAnAppliedScriptChangedAndNamesIt() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_tamper")) {
            try (AppProcess app = AppProcess.start(db, Map.of()).awaitUp(START)) {
                assertThat(app.output()).contains("Successfully applied " + Migrations.count() + " migrations");
            }
            Sql.exec(db.dataSource(), "UPDATE schema_migrations SET checksum = repeat('a', 64) WHERE version = '2'");

            try (AppProcess app = AppProcess.start(db, Map.of())) {
                assertThat(app.awaitExit(START)).isNotZero();
                assertThat(app.output()).contains("V2__s3_file_storage.sql").contains("changed after it was applied");
            }
        }
    }

    @Test
    void twoInstancesStartingAtOnceOnAnEmptyDatabaseShareOneHistory() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_race");
             AppProcess a = AppProcess.start(db, Map.of());
             AppProcess b = AppProcess.start(db, Map.of())) {
            a.awaitUp(START);
            b.awaitUp(START);
            List<Map<String, Object>> history = Sql.rows(db.dataSource(),
                    "SELECT version, count(*) AS n FROM flyway_schema_history WHERE success GROUP BY version ORDER BY version::int");
            assertThat(history).extracting(r -> r.get("version") + "x" + r.get("n"))
                    .containsExactlyElementsOf(Migrations.versions().stream().map(v -> v + "x1").toList());
            assertThat(Sql.scalar(db.dataSource(), "SELECT count(*) FROM schema_migrations")).isEqualTo((long) Migrations.count());
            assertThat(a.output() + b.output()).contains("Successfully applied " + Migrations.count() + " migrations")
                    .contains("No migration necessary");
        }
    }

    @Test
    void documentsWrittenThroughTheApiSurviveARestart() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_restart")) {
            Map<String, String> config = Map.of("wharf.auth.bootstrap-admin-key", ADMIN_KEY);
            String key;
            try (AppProcess app = AppProcess.start(db, config).awaitUp(START)) {
                var created = new ObjectMapper().readTree(app.call("POST", "/api/admin/tenants", ADMIN_KEY, "{\"name\": \"restart\"}").body());
                key = created.path("apiKey").path("key").asText();
                assertThat(app.call("POST", "/demo/clients", key, "{\"client_id\": \"test-client-001\", \"client_name\": \"Test Corporation\", "
                        + "\"license_type\": \"professional\", \"modules\": [\"SCOR\", \"CRM\"]}").statusCode()).isEqualTo(201);
                assertThat(app.call("POST", "/demo/proposals", key, "{\"proposal_id\": \"prop-001\", \"client_id\": \"test-client-001\", "
                        + "\"proposal_type\": \"implementation\", \"status\": \"draft\"}").statusCode()).isEqualTo(201);
                assertThat(app.call("POST", "/connector/profiles", key, "{\"id\": \"persist-test\", \"name\": \"Persistence Test\", "
                        + "\"type\": \"sql\", \"credentials\": {\"username\": \"u\", \"password\": \"p\"}}").statusCode()).isEqualTo(201);
            }
            try (AppProcess app = AppProcess.start(db, config).awaitUp(START)) {
                var mapper = new ObjectMapper();
                var client = mapper.readTree(app.call("GET", "/demo/clients/test-client-001", key, null).body());
                assertThat(client.path("modules").toString()).isEqualTo("[\"SCOR\",\"CRM\"]");
                assertThat(mapper.readTree(app.call("GET", "/demo/proposals/prop-001", key, null).body()).path("status").asText()).isEqualTo("draft");
                var profile = mapper.readTree(app.call("GET", "/connector/profiles/persist-test", key, null).body());
                assertThat(profile.path("name").asText()).isEqualTo("Persistence Test");
                assertThat(profile.path("credentials").toString()).isEqualTo("{\"username\":\"********\",\"password\":\"********\"}");
            }
        }
    }
}
