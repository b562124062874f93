package io.wharf.clientconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;

@QuarkusTest
class ClientConfigApiTest {

    /** Seed 003, "Test Demo Config Service", verbatim. */
    private static final String SEED_BODY = """
            {
                "client_id": "test-client-001",
                "client_name": "Test Corporation",
                "license_type": "professional",
                "modules": ["SCOR", "CRM"]
              }""";
    private static final String ISO_WITH_OFFSET = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})";

    private static String body(String id, String license, String... modules) {
        return "{\"client_id\": \"" + id + "\", \"client_name\": \"Client " + id + "\", \"license_type\": \"" + license
                + "\", \"modules\": [" + String.join(",", Arrays.stream(modules).map(m -> "\"" + m + "\"").toList()) + "]}";
    }

    @Test
    void seedRequestWorksAsWrittenAndReadsBack() {
        TestTenant t = TestTenants.client();
        t.as().contentType("application/json").body(SEED_BODY).when().post("/demo/clients")
                .then().statusCode(201).header("ETag", "\"1\"").header("Location", Matchers.endsWith("/demo/clients/test-client-001"))
                .body("client_id", equalTo("test-client-001")).body("client_name", equalTo("Test Corporation"))
                .body("license_type", equalTo("professional")).body("modules", equalTo(List.of("SCOR", "CRM")))
                .body("version", equalTo(1)).body("created_at", matchesPattern(ISO_WITH_OFFSET));
        t.as().when().get("/demo/clients/test-client-001").then().statusCode(200).header("ETag", "\"1\"")
                .body("client_name", equalTo("Test Corporation")).body("updated_at", matchesPattern(ISO_WITH_OFFSET));
        t.as().contentType("application/json").body(SEED_BODY).when().post("/demo/clients")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", Matchers.containsString("already exists"));
    }

    @Test
    void invalidBodiesListEveryInvalidField() {
        TestTenant t = TestTenants.client();
        t.as().contentType("application/json").body("{\"client_id\": \"../etc/passwd\", \"license_type\": \"gold\"}")
                .when().post("/demo/clients").then().statusCode(400).body("detail", Matchers.containsString("license_type"));
        t.as().contentType("application/json").body("{\"client_id\": \"ok-id\", \"modules\": [\"\", \"CRM\"], \"custom_kpis\": []}")
                .when().post("/demo/clients").then().statusCode(400)
                .body("errors.field", hasItems("client_name", "license_type", "modules[0]"));
        t.as().contentType("application/json").body("{\"client_id\": \"../etc/passwd\", \"client_name\": \"x\", \"license_type\": \"basic\"}")
                .when().post("/demo/clients").then().statusCode(400).body("errors[0].field", equalTo("client_id"));
        t.as().contentType("application/json").body("{\"client_id\": \"a\", \"client_name\": \"x\", \"license_type\": \"basic\", \"licence\": 1}")
                .when().post("/demo/clients").then().statusCode(400).body("detail", Matchers.containsString("Unknown field 'licence'"));
        t.as().contentType("application/json").body("{\"client_id\": \"nul\", \"client_name\": \"a\\u0000b\", \"license_type\": \"basic\"}")
                .when().post("/demo/clients").then().statusCode(400);
        t.as().when().get("/demo/clients/nul").then().statusCode(404);
    }

    @Test
    void replaceNeedsTheCurrentVersionWhenIfMatchIsSent() {
        TestTenant t = TestTenants.client();
        t.as().contentType("application/json").body(body("c1", "basic", "CRM")).when().post("/demo/clients").then().statusCode(201);
        var updated = t.as().header("If-Match", "\"1\"").contentType("application/json").body(body("c1", "enterprise", "CRM", "SCOR"))
                .when().put("/demo/clients/c1").then().statusCode(200).header("ETag", "\"2\"")
                .body("license_type", equalTo("enterprise")).body("version", equalTo(2)).extract().jsonPath();
        assertThat(OffsetDateTime.parse(updated.getString("updated_at")))
                .isAfter(OffsetDateTime.parse(updated.getString("created_at")));
        t.as().header("If-Match", "\"1\"").contentType("application/json").body(body("c1", "basic"))
                .when().put("/demo/clients/c1").then().statusCode(412).contentType("application/problem+json").body("currentVersion", equalTo(2));
        t.as().contentType("application/json").body(body("other", "basic")).when().put("/demo/clients/c1").then().statusCode(400)
                .body("errors[0].field", equalTo("client_id"));
        t.as().when().get("/demo/clients/c1").then().body("license_type", equalTo("enterprise"));
        t.as().header("If-Match", "\"1\"").when().delete("/demo/clients/c1").then().statusCode(412);
        t.as().header("If-Match", "\"2\"").when().delete("/demo/clients/c1").then().statusCode(204);
        t.as().when().get("/demo/clients/c1").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void listFiltersByJsonbFieldsAndCreationTime() {
        TestTenant t = TestTenants.client();
        t.as().contentType("application/json").body(body("a", "basic", "CRM")).when().post("/demo/clients").then().statusCode(201);
        t.as().contentType("application/json").body(body("b", "enterprise", "CRM", "SCOR")).when().post("/demo/clients").then().statusCode(201);
        t.as().contentType("application/json").body(body("c", "enterprise", "BI")).when().post("/demo/clients").then().statusCode(201);

        t.as().queryParam("license_type", "enterprise").when().get("/demo/clients").then().statusCode(200)
                .body("items.client_id", equalTo(List.of("b", "c"))).body("nextCursor", nullValue());
        t.as().queryParam("module", "CRM").when().get("/demo/clients").then().body("items.client_id", equalTo(List.of("a", "b")));
        t.as().queryParam("license_type", "enterprise").queryParam("module", "BI").when().get("/demo/clients")
                .then().body("items.client_id", equalTo(List.of("c")));
        t.as().queryParam("created_after", "2999-01-01T00:00:00Z").when().get("/demo/clients").then().body("items", equalTo(List.of()));
        t.as().queryParam("created_before", "2999-01-01T00:00:00+02:00").when().get("/demo/clients").then().body("items.client_id",
                equalTo(List.of("a", "b", "c")));
        t.as().queryParam("license_type", "gold").when().get("/demo/clients").then().statusCode(400).body("errors[0].field", equalTo("license_type"));
        t.as().queryParam("created_after", "yesterday").when().get("/demo/clients").then().statusCode(400);
        t.as().queryParam("limit", 500).when().get("/demo/clients").then().statusCode(400);
    }

    @Test
    void cursorPagingIsStableWhileDocumentsAreInserted() {
        TestTenant t = TestTenants.client();
        List<String> original = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String id = "p" + i;
            original.add(id);
            t.as().contentType("application/json").body(body(id, "basic")).when().post("/demo/clients").then().statusCode(201);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int inserted = 0;
        do {
            var spec = t.as().queryParam("limit", 3);
            if (cursor != null) {
                spec.queryParam("cursor", cursor);
            }
            JsonPath page = spec.when().get("/demo/clients").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.client_id"));
            cursor = page.getString("nextCursor");
            t.as().contentType("application/json").body(body("late" + inserted++, "basic")).when().post("/demo/clients").then().statusCode(201);
        } while (cursor != null);
        assertThat(new HashSet<>(seen)).hasSameSizeAs(seen);
        assertThat(seen).containsAll(original);
        assertThat(seen.subList(0, 7)).containsExactlyElementsOf(original);
    }

    @Test
    void anotherTenantsClientIsExactlyAsMissingAsANonexistentOne() {
        TestTenant a = TestTenants.client();
        TestTenant b = TestTenants.client();
        String id = "shared-" + UUID.randomUUID();
        a.as().contentType("application/json").body(body(id, "basic")).when().post("/demo/clients").then().statusCode(201);

        Map<String, Object> theirs = b.as().when().get("/demo/clients/" + id).then().statusCode(404).extract().as(Map.class);
        Map<String, Object> missing = b.as().when().get("/demo/clients/" + id + "x").then().statusCode(404).extract().as(Map.class);
        assertThat(theirs.get("title")).isEqualTo(missing.get("title"));
        assertThat(theirs.get("type")).isEqualTo(missing.get("type"));
        b.as().contentType("application/json").body(body(id, "enterprise")).when().put("/demo/clients/" + id).then().statusCode(404);
        b.as().when().delete("/demo/clients/" + id).then().statusCode(404);
        b.as().when().get("/demo/clients").then().statusCode(200).body("items", equalTo(List.of()));
        b.as().contentType("application/json").body(body(id, "enterprise")).when().post("/demo/clients").then().statusCode(201);

        a.as().when().get("/demo/clients/" + id).then().statusCode(200).body("license_type", equalTo("basic")).body("version", equalTo(1));
    }

    @Test
    void everyChangeIsAuditedForItsTenant() {
        TestTenant t = TestTenants.client();
        t.as().header("X-User-Id", "alice").contentType("application/json").body(body("aud", "basic")).when().post("/demo/clients").then()
                .statusCode(201);
        t.as().contentType("application/json").body(body("aud", "enterprise")).when().put("/demo/clients/aud").then().statusCode(200);
        t.as().when().delete("/demo/clients/aud").then().statusCode(204);
        List<Map<String, Object>> items = TestTenants.asAdmin().queryParam("tenantId", t.id()).queryParam("resourceType", "client_config")
                .when().get("/api/admin/audit").then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(items).extracting(i -> i.get("action")).containsExactly("delete", "update", "create");
        assertThat(items.get(2).get("userId")).isEqualTo("alice");
        assertThat(((Map<?, ?>) items.get(1).get("changes")).get("after")).isEqualTo(Map.of("license_type", "enterprise"));
    }
}
