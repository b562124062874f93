package io.wharf.audit;

import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.wharf.common.Actor;
import io.wharf.tenant.ApiKeys;
import io.wharf.tenant.TenantRequests;
import io.wharf.tenant.TenantService;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;

@QuarkusTest
class AuditTrailTest {

    @Inject
    DataSource ds;

    @Inject
    TenantService tenants;

    @Inject
    AuditRepository auditRows;

    @Test
    void everyTenantAndKeyChangeIsAuditedWithWhoAndFromWhere() {
        Map<String, Object> created = asAdmin().header("X-User-Id", "ops-alice").header("User-Agent", "audit-test/1.0")
                .contentType("application/json").body(Map.of("name", "audited", "scopes", List.of("client")))
                .when().post("/api/admin/tenants").then().statusCode(201).extract().as(Map.class);
        String tenantId = (String) ((Map<?, ?>) created.get("tenant")).get("id");
        String key = (String) ((Map<?, ?>) created.get("apiKey")).get("key");
        String keyId = (String) ((Map<?, ?>) created.get("apiKey")).get("id");
        asAdmin().header("X-User-Id", "ops-bob").contentType("application/json").body(Map.of("name", "audited-renamed"))
                .when().patch("/api/admin/tenants/" + tenantId).then().statusCode(200);
        asAdmin().when().post("/api/admin/tenants/" + tenantId + "/keys/" + keyId + "/rotate").then().statusCode(201);
        asAdmin().when().delete("/api/admin/tenants/" + tenantId + "/keys/" + keyId).then().statusCode(200);

        List<Map<String, Object>> items = asAdmin().queryParam("tenantId", tenantId).when().get("/api/admin/audit")
                .then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(items).extracting(i -> i.get("action") + " " + i.get("resourceType"))
                .containsExactly("revoke api_key", "rotate api_key", "update tenant", "create api_key", "create tenant");
        Map<String, Object> create = items.get(4);
        assertThat(create.get("userId")).isEqualTo("ops-alice");
        assertThat(create.get("userAgent")).isEqualTo("audit-test/1.0");
        assertThat(create.get("apiKeyPrefix")).isEqualTo("testadmin000");
        assertThat(create.get("ipAddress")).isEqualTo("127.0.0.1");
        Map<?, ?> update = (Map<?, ?>) items.get(2).get("changes");
        assertThat(update.get("before")).isEqualTo(Map.of("name", "audited"));
        assertThat(update.get("after")).isEqualTo(Map.of("name", "audited-renamed"));
        assertThat(items.get(2).get("userId")).isEqualTo("ops-bob");

        String all = Sql.rows(ds, "SELECT changes::text AS c FROM audit_logs WHERE tenant_id = ?::uuid", tenantId).toString();
        assertThat(all).doesNotContain(key).doesNotContain(ApiKeys.hash(key)).contains("\"prefix\"");
    }

    @Test
    void auditIsFilteredAndPagedWithAStableCursor() {
        TestTenant t = TestTenants.client();
        for (int i = 0; i < 4; i++) {
            asAdmin().contentType("application/json").body(Map.of("name", "rename-" + i)).when().patch("/api/admin/tenants/" + t.id())
                    .then().statusCode(200);
        }
        List<Object> all = asAdmin().queryParam("tenantId", t.id()).queryParam("resourceType", "tenant").queryParam("action", "update")
                .when().get("/api/admin/audit").then().statusCode(200).extract().jsonPath().getList("items.id");
        assertThat(all).hasSize(4);

        List<Object> paged = new ArrayList<>();
        String cursor = null;
        do {
            var spec = asAdmin().queryParam("tenantId", t.id()).queryParam("resourceType", "tenant").queryParam("action", "update")
                    .queryParam("limit", 3);
            if (cursor != null) {
                spec.queryParam("cursor", cursor);
            }
            var page = spec.when().get("/api/admin/audit").then().statusCode(200).extract().jsonPath();
            paged.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(paged).containsExactlyElementsOf(all);

        asAdmin().queryParam("cursor", "garbage!").when().get("/api/admin/audit").then().statusCode(400)
                .contentType("application/problem+json");
        asAdmin().queryParam("limit", 0).when().get("/api/admin/audit").then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }

    @Test
    void aRolledBackChangeLeavesNoAuditRow() {
        TestTenant t = TestTenants.client();
        long before = (Long) Sql.scalar(ds, "SELECT count(*) FROM audit_logs WHERE resource_id = ?", t.id().toString());

        Assertions.assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            tenants.update(t.id(), Actor.SYSTEM, new TenantRequests.UpdateTenant("never-committed", null, null));
            assertThat(auditRows.count("resourceId = ?1 and action = 'update'", t.id().toString()))
                    .as("written inside the change's transaction").isEqualTo(1L);
            QuarkusTransaction.setRollbackOnly();
        })).hasStackTraceContaining("setRollbackOnly");

        assertThat(Sql.scalar(ds, "SELECT count(*) FROM audit_logs WHERE resource_id = ?", t.id().toString())).isEqualTo(before);
        assertThat(Sql.scalar(ds, "SELECT name FROM tenants WHERE id = ?", t.id())).isEqualTo(t.name());
    }

    @Test
    void issuedKeysNeverReachTheApplicationLog() throws Exception {
        TestTenant t = TestTenants.client();
        t.as().when().get("/api/admin/audit").then().statusCode(403);
        Path log = Path.of("target/wharf-test.log");
        assertThat(log).exists();
        String text = Files.readString(log);
        assertThat(text).doesNotContain(t.key()).doesNotContain(TestTenants.BOOTSTRAP_ADMIN_KEY);
    }
}
