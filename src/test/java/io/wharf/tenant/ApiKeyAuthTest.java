package io.wharf.tenant;

import static io.restassured.RestAssured.given;
import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;

@QuarkusTest
class ApiKeyAuthTest {

    private static final String ADMIN_ENDPOINT = "/api/admin/schema";

    @Inject
    DataSource ds;

    private static Map<String, String> issueKey(TestTenant t) {
        return asAdmin().contentType("application/json").body(Map.of("name", "extra"))
                .when().post("/api/admin/tenants/" + t.id() + "/keys")
                .then().statusCode(201).body("key", Matchers.startsWith("wharf_")).extract().as(Map.class);
    }

    private static ExtractableResponse<Response> call(RequestSpecification spec) {
        return spec.when().get(ADMIN_ENDPOINT).then().extract();
    }

    @Test
    void everyWayAKeyCanBeWrongGetsTheSame401() {
        TestTenant admin = TestTenants.admin();
        Map<String, String> revoked = issueKey(admin);
        asAdmin().when().delete("/api/admin/tenants/" + admin.id() + "/keys/" + revoked.get("id")).then().statusCode(200);
        Map<String, String> expired = issueKey(admin);
        Sql.exec(ds, "UPDATE api_keys SET expires_at = NOW() - INTERVAL '1 minute' WHERE id = ?::uuid", expired.get("id"));
        TestTenant inactive = TestTenants.admin();
        asAdmin().contentType("application/json").body(Map.of("active", false))
                .when().patch("/api/admin/tenants/" + inactive.id()).then().statusCode(200).body("active", equalTo(false));
        String wrongSecret = admin.key().substring(0, "wharf_".length() + 13) + "A".repeat(43);

        Map<String, RequestSpecification> cases = new LinkedHashMap<>();
        cases.put("missing", given());
        cases.put("empty bearer", given().header("Authorization", "Bearer "));
        cases.put("other scheme", given().header("Authorization", "Basic dXNlcjpwYXNz"));
        cases.put("malformed", given().header("X-API-Key", "not a key"));
        cases.put("unknown", given().header("Authorization", "Bearer " + ApiKeys.generate().key()));
        cases.put("wrong secret", given().header("Authorization", "Bearer " + wrongSecret));
        cases.put("revoked", given().header("Authorization", "Bearer " + revoked.get("key")));
        cases.put("expired", given().header("X-API-Key", expired.get("key")));
        cases.put("inactive tenant", inactive.as());

        Map<String, Object> first = null;
        for (Map.Entry<String, RequestSpecification> c : cases.entrySet()) {
            ExtractableResponse<Response> r = call(c.getValue());
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(401);
            assertThat(r.contentType()).as(c.getKey()).startsWith("application/problem+json");
            assertThat(r.header("WWW-Authenticate")).as(c.getKey()).isEqualTo("Bearer realm=\"wharf\"");
            Map<String, Object> body = r.as(Map.class);
            if (first == null) {
                first = body;
                assertThat(body.get("type")).isEqualTo("https://wharf.io/problems/unauthorized");
            }
            assertThat(body).as(c.getKey() + " answers exactly like the others").isEqualTo(first);
        }
        assertThat(call(admin.as()).statusCode()).isEqualTo(200);
        assertThat(call(given().header("X-API-Key", admin.key())).statusCode()).isEqualTo(200);
    }

    @Test
    void clientKeyOnAdminEndpointIs403Problem() {
        TestTenant client = TestTenants.client();
        for (String path : List.of(ADMIN_ENDPOINT, "/api/admin/migrations", "/api/admin/tenants", "/api/admin/audit")) {
            client.as().when().get(path).then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo("https://wharf.io/problems/forbidden"));
        }
        client.as().contentType("application/json").body(Map.of("name", "sneaky"))
                .when().post("/api/admin/tenants").then().statusCode(403);
    }

    @Test
    void rotationKeepsBothKeysValidUntilTheOldOneIsRevoked() {
        TestTenant t = TestTenants.admin();
        Map<String, Object> rotated = asAdmin().when().post("/api/admin/tenants/" + t.id() + "/keys/" + t.keyId() + "/rotate")
                .then().statusCode(201).body("rotatedFrom", equalTo(t.keyId().toString()))
                .body("scopes", equalTo(List.of("admin"))).extract().as(Map.class);
        String newKey = (String) rotated.get("key");
        assertThat(newKey).isNotEqualTo(t.key());

        assertThat(call(t.as()).statusCode()).isEqualTo(200);
        assertThat(call(given().header("Authorization", "Bearer " + newKey)).statusCode()).isEqualTo(200);

        asAdmin().when().delete("/api/admin/tenants/" + t.id() + "/keys/" + t.keyId()).then().statusCode(200)
                .body("status", equalTo("revoked"));
        assertThat(call(t.as()).statusCode()).isEqualTo(401);
        assertThat(call(given().header("Authorization", "Bearer " + newKey)).statusCode()).isEqualTo(200);

        asAdmin().when().post("/api/admin/tenants/" + t.id() + "/keys/" + t.keyId() + "/rotate").then().statusCode(409);
        asAdmin().when().get("/api/admin/tenants/" + t.id() + "/keys").then().statusCode(200)
                .body("key", not(hasItem(Matchers.notNullValue())))
                .body("find { it.id == '" + t.keyId() + "' }.status", equalTo("revoked"));
    }

    @Test
    void aRevocationCommittedByAnotherInstanceTakesEffectHere() throws Exception {
        TestTenant t = TestTenants.admin();
        assertThat(call(t.as()).statusCode()).isEqualTo(200);
        String prefix = (String) Sql.scalar(ds, "SELECT prefix FROM api_keys WHERE id = ?", t.keyId());
        // what another instance's revoke does: the row change and the notification, in one transaction
        Sql.rows(ds, "WITH r AS (UPDATE api_keys SET revoked_at = NOW() WHERE id = ? RETURNING prefix) "
                + "SELECT pg_notify('wharf_api_keys', 'key:' || prefix) FROM r", t.keyId());
        long deadline = System.nanoTime() + 2_000_000_000L;
        int status;
        do {
            status = call(t.as()).statusCode();
        } while (status == 200 && System.nanoTime() < deadline);
        assertThat(status).as("key %s refused within 2 s of the other instance's revocation", prefix).isEqualTo(401);
    }

    @Test
    void keysAreStoredOnlyAsHashes() {
        TestTenant t = TestTenants.client();
        Map<String, Object> row = Sql.rows(ds, "SELECT prefix, key_hash FROM api_keys WHERE id = ?", t.keyId()).get(0);
        assertThat(t.key()).contains("_" + row.get("prefix") + "_");
        assertThat(row.get("key_hash")).isEqualTo(ApiKeys.hash(t.key()));
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM api_keys WHERE key_hash = ? OR prefix = ?", t.key(), t.key())).isEqualTo(0L);
        asAdmin().when().get("/api/admin/tenants/" + t.id() + "/keys").then().statusCode(200)
                .body("[0].key", nullValue()).body("[0].keyHash", nullValue()).body("[0].prefix", equalTo(row.get("prefix")));
    }

    @Test
    void deactivationLocksATenantOutAndReactivationLetsItBackIn() {
        TestTenant t = TestTenants.admin();
        assertThat(call(t.as()).statusCode()).isEqualTo(200);
        asAdmin().contentType("application/json").body(Map.of("active", false)).when().patch("/api/admin/tenants/" + t.id()).then().statusCode(200);
        assertThat(call(t.as()).statusCode()).isEqualTo(401);
        asAdmin().contentType("application/json").body(Map.of("active", true)).when().patch("/api/admin/tenants/" + t.id()).then().statusCode(200);
        assertThat(call(t.as()).statusCode()).isEqualTo(200);
    }

    @Test
    void onlyHealthAndMetricsAreOpen() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("https://wharf.io/problems/unauthorized"));
        TestTenants.client().as().when().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void invalidRequestsToTheAdminApiAreProblems() {
        asAdmin().contentType("application/json").body(Map.of("name", " ", "scopes", List.of("root")))
                .when().post("/api/admin/tenants").then().statusCode(400)
                .body("errors.field", Matchers.hasItems("name", "scopes[0]"));
        asAdmin().when().get("/api/admin/tenants/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        asAdmin().when().get("/api/admin/tenants/not-a-uuid").then().statusCode(404);
    }
}
