package io.wharf.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;

/**
 * Limits of the document routes: their bodies are capped well below the service-wide limit before they
 * are parsed, If-Match compares strongly, and a client config that proposals name cannot be deleted.
 */
@QuarkusTest
class DocumentLimitsTest {

    @Inject
    DataSource ds;

    /** A client config whose description pads the body to about {@code bytes}. */
    private static String paddedClient(String id, int bytes) {
        return "{\"client_id\": \"" + id + "\", \"client_name\": \"C\", \"license_type\": \"basic\", \"preferences\": {\"pad\": \""
                + "p".repeat(bytes) + "\"}}";
    }

    private long clients(TestTenant t) {
        return ((Number) Sql.scalar(ds, "SELECT count(*) FROM client_configs WHERE tenant_id = ?", t.id())).longValue();
    }

    @Test
    void documentBodiesOverAMegabyteAre413BeforeParsing() {
        TestTenant t = TestTenants.client();
        // 1.5 MB: under the service-wide limit of the test profile (2M), over the document limit (1M)
        t.as().contentType("application/json").body(paddedClient("big", 1_500_000)).post("/demo/clients")
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("https://wharf.io/problems/payload-too-large")).body("detail", containsString("1048576"));
        // not even parsed: broken JSON of the same size is too large, not malformed
        t.as().contentType("application/json").body("{" + "x".repeat(1_500_000)).post("/connector/profiles")
                .then().statusCode(413).contentType("application/problem+json");
        t.as().contentType("application/json").body(paddedClient("big", 1_500_000)).put("/demo/clients/big")
                .then().statusCode(413).contentType("application/problem+json");
        // sent in chunks, without Content-Length
        t.as().contentType("application/json")
                .body(new ByteArrayInputStream(paddedClient("big", 1_500_000).getBytes(StandardCharsets.UTF_8))).post("/demo/clients")
                .then().statusCode(413).contentType("application/problem+json");
        assertThat(clients(t)).isZero();
        // under the limit is fine
        t.as().contentType("application/json").body(paddedClient("small", 900_000)).post("/demo/clients").then().statusCode(201);
        // the service-wide limit still holds elsewhere: a 1.5 MB admin body is read (and refused for what it says, not its size)
        TestTenants.asAdmin().contentType("application/json").body("{\"name\": \"" + "n".repeat(1_500_000) + "\"}")
                .post("/api/admin/tenants").then().statusCode(400);
    }

    @Test
    void aWeakIfMatchNeverMatchesAndChangesNothing() {
        TestTenant t = TestTenants.client();
        t.as().contentType("application/json").body(paddedClient("c1", 1)).post("/demo/clients").then().statusCode(201);
        t.as().header("If-Match", "W/\"1\"").contentType("application/json").body(paddedClient("c1", 2)).put("/demo/clients/c1")
                .then().statusCode(412).contentType("application/problem+json").body("detail", containsString("weak"));
        t.as().header("If-Match", "W/\"1\"").delete("/demo/clients/c1").then().statusCode(412);
        t.as().header("If-Match", "\"2\", W/\"1\"").delete("/demo/clients/c1").then().statusCode(412);
        t.as().get("/demo/clients/c1").then().statusCode(200).header("ETag", "\"1\"");
        t.as().header("If-Match", "\"1\"").delete("/demo/clients/c1").then().statusCode(204);
    }

    @Test
    void deletingAClientConfigThatProposalsNameIsAConflictNamingThem() {
        TestTenant t = TestTenants.client();
        t.as().contentType("application/json").body(paddedClient("c1", 1)).post("/demo/clients").then().statusCode(201);
        for (int i = 1; i <= 12; i++) {
            t.as().contentType("application/json")
                    .body("{\"proposal_id\": \"p" + i + "\", \"client_id\": \"c1\", \"proposal_type\": \"consulting\"}")
                    .post("/demo/proposals").then().statusCode(201);
        }
        var problem = t.as().delete("/demo/clients/c1").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("p1")).extract().jsonPath();
        List<String> named = problem.getList("proposalIds");
        assertThat(named).hasSize(10).startsWith("p1", "p2");
        assertThat(problem.getBoolean("more")).isTrue();
        t.as().get("/demo/clients/c1").then().statusCode(200);

        // another tenant's proposals naming the same client id do not count
        TestTenant other = TestTenants.client();
        other.as().contentType("application/json").body(paddedClient("c1", 1)).post("/demo/clients").then().statusCode(201);
        other.as().delete("/demo/clients/c1").then().statusCode(204);
    }
}
