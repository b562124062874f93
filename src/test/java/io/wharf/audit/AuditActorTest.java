package io.wharf.audit;

import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;

/** A client sending X-User-Id: system must not look like Wharf's own entries, in the API or in the table. */
@QuarkusTest
class AuditActorTest {

    @Inject
    DataSource ds;

    @Test
    void aClientCallingItselfSystemIsRecordedAsAClientNotAsWharf() {
        TestTenant t = TestTenants.client();
        t.as().header("X-User-Id", "system").contentType("application/json")
                .body(Map.of("client_id", "poser-001", "client_name", "Poser", "license_type", "basic"))
                .when().post("/demo/clients").then().statusCode(201);

        List<Map<String, Object>> clientRows = asAdmin().queryParam("tenantId", t.id()).queryParam("resourceType", "client_config")
                .when().get("/api/admin/audit").then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(clientRows).hasSize(1);
        assertThat(clientRows.get(0)).containsEntry("userId", "system").containsEntry("actorType", "client");

        // Wharf's own entries: the bootstrap admin key registered at start-up, with no request behind it
        List<Map<String, Object>> systemRows = asAdmin().queryParam("userId", "system").queryParam("limit", 500)
                .when().get("/api/admin/audit").then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(systemRows).filteredOn(r -> "client".equals(r.get("actorType")))
                .extracting(r -> r.get("tenantId")).contains(t.id().toString());
        assertThat(systemRows).filteredOn(r -> "system".equals(r.get("actorType")))
                .extracting(r -> r.get("resourceType")).contains("tenant", "api_key");
        assertThat(systemRows).filteredOn(r -> "system".equals(r.get("actorType")))
                .extracting(r -> r.get("tenantId")).doesNotContain(t.id().toString());

        assertThat(Sql.rows(ds, "SELECT user_id, actor_type FROM audit_logs WHERE tenant_id = ? AND resource_type = 'client_config'", t.id()))
                .extracting(r -> r.get("user_id") + "/" + r.get("actor_type")).containsOnly("system/client");
        assertThat(Sql.rows(ds, "SELECT DISTINCT a.actor_type FROM audit_logs a JOIN tenants n ON n.id = a.tenant_id "
                + "WHERE n.name = 'operators' AND a.user_id = 'system' AND a.api_key_prefix IS NULL"))
                .extracting(r -> r.get("actor_type")).containsExactly("system");
    }
}
