package io.wharf.schema;

import static io.restassured.RestAssured.given;
import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wharf.testing.Migrations;
import io.wharf.testing.Sql;
import jakarta.inject.Inject;

@QuarkusTest
class SchemaAdminTest {

    @Inject
    DataSource ds;

    @Test
    void migrationsListEveryScriptWithItsStateAndBothChecksums() throws Exception {
        JsonPath body = asAdmin().when().get("/api/admin/migrations")
                .then().statusCode(200).contentType("application/json")
                .body("version", hasItems(Migrations.versions().toArray(String[]::new)))
                .body("findAll { it.version != '0' }.state", everyItem(equalTo("Success")))
                .body("findAll { it.version != '0' }.sha256", everyItem(matchesPattern("[0-9a-f]{64}")))
                .body("findAll { it.version != '0' }.executionTimeMs", everyItem(Matchers.notNullValue()))
                .extract().jsonPath();
        Map<String, Object> v3 = body.getMap("find { it.version == '3' }");
        assertThat(v3.get("script")).asString().endsWith("V3__persistent_storage.sql");
        assertThat(v3.get("installedOn")).asString().matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("db/migration/V3__persistent_storage.sql")) {
            assertThat(v3.get("sha256")).isEqualTo(MigrationLedger.sha256(in.readAllBytes()));
        }
        assertThat(v3.get("checksum")).isInstanceOf(Integer.class);
    }

    @Test
    void schemaVerificationIsOkOnlyWhenNothingIsMissing() {
        asAdmin().when().get("/api/admin/schema")
                .then().statusCode(200).body("ok", equalTo(true)).body("missing", hasSize(0)).body("checked", greaterThan(100));

        Sql.exec(ds, "DROP INDEX idx_files_source");
        try {
            asAdmin().when().get("/api/admin/schema")
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("ok", equalTo(false))
                    .body("missing", equalTo(List.of("index idx_files_source")))
                    .body("detail", containsString("idx_files_source"));
        } finally {
            Sql.exec(ds, "CREATE INDEX IF NOT EXISTS idx_files_source ON files (source)");
        }
        asAdmin().when().get("/api/admin/schema").then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void readinessReportsDatabaseMigrationsAndS3() {
        given().when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check", "database-migrations", "s3"))
                .body("checks.find { it.name == 'database-migrations' }.data.pending", equalTo(0));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsAndOpenApiAreServed() {
        asAdmin().when().get("/api/admin/schema").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("uri=\"/api/admin/schema\""));
        asAdmin().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("paths.keySet()", hasItem("/api/admin/schema"));
    }
}
