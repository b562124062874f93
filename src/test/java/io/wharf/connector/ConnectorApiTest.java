package io.wharf.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;

@QuarkusTest
class ConnectorApiTest {

    /** Seed 003, "Test Connector Service", verbatim. */
    private static final String SEED_BODY = """
            {
                "id": "test-sql-connection",
                "name": "Test SQL Server",
                "type": "sql",
                "connection_string": "Server=localhost;Database=test;",
                "credentials": {
                  "username": "testuser",
                  "password": "testpass"
                }
              }""";
    /** Seed 003, "Data Persistence Verification", verbatim. */
    private static final String PERSIST_BODY = "{\"id\": \"persist-test\", \"name\": \"Persistence Test\", \"type\": \"sql\"}";

    @Inject
    DataSource ds;

    @Test
    void seedRequestsWorkAndSecretsAreOnlyEverCiphertext() {
        TestTenant t = TestTenants.client();
        t.as().contentType("application/json").body(SEED_BODY).when().post("/connector/profiles").then().statusCode(201)
                .body("id", equalTo("test-sql-connection")).body("type", equalTo("sql"))
                .body("connection_string", equalTo("********"))
                .body("credentials", equalTo(Map.of("username", "********", "password", "********")));
        t.as().when().get("/connector/profiles/test-sql-connection").then().statusCode(200).body("name", equalTo("Test SQL Server"))
                .body(Matchers.not(containsString("testpass"))).body(Matchers.not(containsString("Server=localhost")));
        t.as().when().get("/connector/profiles").then().statusCode(200).body("items.id", equalTo(List.of("test-sql-connection")));
        t.as().contentType("application/json").body(PERSIST_BODY).when().post("/connector/profiles").then().statusCode(201);

        Map<String, Object> row = Sql.rows(ds, "SELECT profile_data->>'connection_string' AS cs, profile_data->>'credentials' AS cr, "
                + "profile_data::text AS raw FROM connector_profiles WHERE tenant_id = ? AND id = 'test-sql-connection'", t.id()).get(0);
        assertThat((String) row.get("cs")).startsWith("enc:v1:test1:");
        assertThat((String) row.get("cr")).startsWith("enc:v1:test1:");
        assertThat((String) row.get("raw")).doesNotContain("testpass").doesNotContain("testuser").doesNotContain("Server=localhost");
        String audit = Sql.rows(ds, "SELECT changes::text FROM audit_logs WHERE tenant_id = ?", t.id()).toString();
        assertThat(audit).contains("Test SQL Server").doesNotContain("testpass").doesNotContain("Server=localhost");
    }

    @Test
    void aSecretEncryptedWithARetiredKeyStillWorks() throws Exception {
        TestTenant t = TestTenants.client();
        String id = "rotated";
        String context = "connector_profiles/" + t.id() + "/" + id + "/connection_string";
        String old = encryptWith("old1", "test-only-old-key-for-wharf-test", "jdbc:postgresql://localhost:5432/postgres", context);
        Sql.exec(ds, "INSERT INTO connector_profiles (tenant_id, id, profile_data) VALUES (?, ?, ?::jsonb)", t.id(), id,
                "{\"name\": \"old\", \"type\": \"sql\", \"connection_string\": \"" + old + "\"}");
        t.as().when().post("/connector/profiles/" + id + "/test").then().statusCode(200).body("status", equalTo("success"));

        Sql.exec(ds, "INSERT INTO connector_profiles (tenant_id, id, profile_data) VALUES (?, 'copied', "
                + "jsonb_build_object('name', 'copy', 'type', 'sql', 'connection_string', ?::text))", t.id(), old);
        t.as().when().post("/connector/profiles/copied/test").then().statusCode(500);
    }

    @Test
    void sqlProfilesAreReallyConnectedTo() {
        TestTenant t = TestTenants.client();
        create(t, "pg-ok", "sql", "jdbc:postgresql://localhost:5432/postgres", Map.of("username", "postgres", "password", "postgres"));
        t.as().when().post("/connector/profiles/pg-ok/test").then().statusCode(200).body("status", equalTo("success"))
                .body("message", containsString("SELECT 1")).body("tested_at", Matchers.notNullValue());
        t.as().when().get("/connector/profiles/pg-ok").then().body("test_status", equalTo("success"))
                .body("last_tested", Matchers.matchesPattern("\\d{4}-.*(Z|[+-]\\d{2}:\\d{2})")).body("version", equalTo(2));
        t.as().queryParam("test_status", "success").when().get("/connector/profiles").then().body("items.id", equalTo(List.of("pg-ok")));

        create(t, "pg-nodb", "sql", "postgresql://postgres@localhost:5432/wharf_no_such_db_" + System.nanoTime(), null);
        t.as().when().post("/connector/profiles/pg-nodb/test").then().statusCode(200).body("status", equalTo("failed"))
                .body("message", containsString("does not exist"));
        t.as().when().get("/connector/profiles/pg-nodb").then().body("test_status", equalTo("failed"))
                .body("test_error", containsString("does not exist"));

        create(t, "pg-closed", "sql", "host=localhost port=1 dbname=x user=postgres", null);
        t.as().when().post("/connector/profiles/pg-closed/test").then().statusCode(200).body("status", equalTo("failed"))
                .body("message", containsString("could not connect"));

        t.as().contentType("application/json").body(SEED_BODY).when().post("/connector/profiles").then().statusCode(201);
        t.as().when().post("/connector/profiles/test-sql-connection/test").then().statusCode(200).body("status", equalTo("failed"))
                .body("message", containsString("SQL Server"));
    }

    @Test
    void internalAddressesAreRefusedBeforeAnythingIsSent() {
        TestTenant t = TestTenants.client();
        create(t, "private", "sql", "postgresql://10.255.255.1:5432/db", null);
        create(t, "metadata", "api", "http://169.254.169.254/latest/meta-data/", null);
        create(t, "lan", "api", "http://192.168.1.1/admin", null);
        create(t, "v6", "api", "http://[::1]:8080/", null);
        for (String id : List.of("private", "metadata", "lan", "v6")) {
            long started = System.nanoTime();
            t.as().when().post("/connector/profiles/" + id + "/test").then().statusCode(200).body("status", equalTo("failed"))
                    .body("message", startsWith("refused: ")).body("message", containsString("internal address"));
            assertThat((System.nanoTime() - started) / 1_000_000).as(id + " answered without trying to connect").isLessThan(1500);
        }
    }

    @Test
    void apiProfilesAreCalledWithTheirCredentials() throws Exception {
        try (LocalHttpServer http = LocalHttpServer.start()) {
            TestTenant t = TestTenants.client();
            create(t, "api-ok", "api", http.url("/ok"), Map.of("token", "s3cret-token"));
            t.as().when().post("/connector/profiles/api-ok/test").then().statusCode(200).body("status", equalTo("success"))
                    .body("message", containsString("HTTP 200"));
            assertThat(http.lastAuthorization()).isEqualTo("Bearer s3cret-token");

            create(t, "api-basic", "api", http.url("/ok"), Map.of("username", "u", "password", "p"));
            t.as().when().post("/connector/profiles/api-basic/test").then().body("status", equalTo("failed"))
                    .body("message", containsString("rejected the credentials"));

            create(t, "api-slow", "api", http.url("/slow"), null);
            t.as().when().post("/connector/profiles/api-slow/test").then().body("status", equalTo("timeout"));

            create(t, "api-redirect", "api", http.url("/to-private"), null);
            t.as().when().post("/connector/profiles/api-redirect/test").then().body("status", equalTo("failed"))
                    .body("message", startsWith("refused: "));

            List<Map<String, Object>> logs = Sql.rows(ds, "SELECT status::text AS status, provider_name, request_payload::text AS req, "
                    + "response_data::text AS res, execution_time_ms FROM action_logs WHERE tenant_id = ? AND action_type = 'connector_test' "
                    + "ORDER BY created_at", t.id());
            assertThat(logs).extracting(r -> r.get("status")).containsExactly("success", "failure", "timeout", "failure");
            assertThat(logs).allSatisfy(r -> {
                assertThat(r.get("provider_name")).isEqualTo("http");
                assertThat((String) r.get("req")).contains("api-").doesNotContain("s3cret-token");
            });
            assertThat(((Number) logs.get(2).get("execution_time_ms")).intValue()).isGreaterThanOrEqualTo(1900);
        }
    }

    @Test
    void excelHasNothingToTestAndOtherTenantsCannotTestYourProfiles() {
        TestTenant a = TestTenants.client();
        create(a, "sheet", "excel", null, null);
        a.as().when().post("/connector/profiles/sheet/test").then().statusCode(400).contentType("application/problem+json");
        create(a, "mine", "sql", "jdbc:postgresql://localhost:5432/postgres", null);
        TestTenant b = TestTenants.client();
        b.as().when().post("/connector/profiles/mine/test").then().statusCode(404);
        b.as().when().get("/connector/profiles/mine").then().statusCode(404);
        b.as().when().delete("/connector/profiles/mine").then().statusCode(404);
        a.as().contentType("application/json").body("{\"id\": \"x\", \"name\": \"x\", \"type\": \"sql\", \"test_status\": \"success\"}")
                .when().post("/connector/profiles").then().statusCode(400).body("detail", containsString("test_status"));
        a.as().queryParam("type", "ftp").when().get("/connector/profiles").then().statusCode(400);
    }

    /**
     * A filtered list reads the first documents in page order and turns to the GIN index after them: on
     * 3,000 profiles, the matches before, right after and far beyond that window come back in creation
     * order, page by page, with creation-time bounds, and common values page as they do on small sets.
     */
    @Test
    void filteredListsOfThousandsOfProfilesPageInCreationOrder() {
        TestTenant t = TestTenants.client();
        Sql.exec(ds, "INSERT INTO connector_profiles (tenant_id, id, profile_data, created_at) "
                + "SELECT ?, 'p' || g, jsonb_build_object('name', CASE WHEN g IN (5, 1500, 1501, 2900) THEN 'Rare' ELSE 'Profile ' || g END, "
                + "'type', (ARRAY['sql', 'api', 'excel'])[1 + g % 3]), TIMESTAMPTZ '2026-01-01 00:00:00+00' + g * INTERVAL '1 second' "
                + "FROM generate_series(1, 3000) g", t.id());

        var first = t.as().queryParam("name", "Rare").queryParam("limit", 2).when().get("/connector/profiles")
                .then().statusCode(200).body("items.id", equalTo(List.of("p5", "p1500"))).extract().jsonPath();
        t.as().queryParam("name", "Rare").queryParam("limit", 2).queryParam("cursor", first.getString("nextCursor"))
                .when().get("/connector/profiles")
                .then().statusCode(200).body("items.id", equalTo(List.of("p1501", "p2900"))).body("nextCursor", nullValue());
        t.as().queryParam("name", "Rare").queryParam("created_after", "2026-01-01T00:16:41Z").when().get("/connector/profiles")
                .then().statusCode(200).body("items.id", equalTo(List.of("p1500", "p1501", "p2900")));
        t.as().queryParam("name", "Rare").queryParam("created_before", "2026-01-01T00:25:01Z").when().get("/connector/profiles")
                .then().statusCode(200).body("items.id", equalTo(List.of("p5", "p1500")));
        t.as().queryParam("name", "Profile 2999").when().get("/connector/profiles")
                .then().statusCode(200).body("items.id", equalTo(List.of("p2999")));

        List<String> sql = new ArrayList<>();
        String cursor = null;
        do {
            var spec = t.as().queryParam("type", "sql").queryParam("limit", 200);
            if (cursor != null) {
                spec.queryParam("cursor", cursor);
            }
            var page = spec.when().get("/connector/profiles").then().statusCode(200).extract().jsonPath();
            sql.addAll(page.getList("items.id", String.class));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(sql).hasSize(1000).startsWith("p3", "p6", "p9").endsWith("p2997", "p3000")
                .isSortedAccordingTo(Comparator.comparingInt(id -> Integer.parseInt(id.substring(1))));
    }

    private static void create(TestTenant t, String id, String type, String connection, Map<String, Object> credentials) {
        var body = new HashMap<String, Object>(Map.of("id", id, "name", id, "type", type));
        if (connection != null) {
            body.put("connection_string", connection);
        }
        if (credentials != null) {
            body.put("credentials", credentials);
        }
        t.as().contentType("application/json").body(body).when().post("/connector/profiles").then().statusCode(201);
    }

    /** The stored format of SecretCipher, written independently with a retired key of the test profile. */
    private static String encryptWith(String kid, String key, String plain, String context) throws Exception {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "AES"), new GCMParameterSpec(128, iv));
        c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[iv.length + ct.length];
        System.arraycopy(iv, 0, out, 0, iv.length);
        System.arraycopy(ct, 0, out, iv.length, ct.length);
        return "enc:v1:" + kid + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }
}
