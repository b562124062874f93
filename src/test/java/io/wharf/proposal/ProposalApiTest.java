package io.wharf.proposal;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;

@QuarkusTest
class ProposalApiTest {

    /** Seed 003, "Create a test proposal", verbatim. */
    private static final String SEED_BODY = """
            {
                "proposal_id": "prop-001",
                "client_id": "test-client-001",
                "proposal_type": "implementation",
                "status": "draft"
              }""";

    private static TestTenant tenantWithSeedClient() {
        TestTenant t = TestTenants.client();
        t.as().contentType("application/json")
                .body("{\"client_id\": \"test-client-001\", \"client_name\": \"Test Corporation\", \"license_type\": \"professional\", \"modules\": [\"SCOR\", \"CRM\"]}")
                .when().post("/demo/clients").then().statusCode(201);
        return t;
    }

    private static String withStatus(String status) {
        return SEED_BODY.replace("\"draft\"", "\"" + status + "\"");
    }

    @Test
    void seedRequestCreatesADraft() {
        TestTenant t = tenantWithSeedClient();
        t.as().contentType("application/json").body(SEED_BODY).when().post("/demo/proposals").then().statusCode(201)
                .body("proposal_id", equalTo("prop-001")).body("status", equalTo("draft")).body("client_id", equalTo("test-client-001"));
        t.as().when().get("/demo/proposals/prop-001").then().statusCode(200).body("proposal_type", equalTo("implementation"));
    }

    @Test
    void statusMovesOnlyForwardAndIllegalMovesSayWhatIsAllowed() {
        TestTenant t = tenantWithSeedClient();
        t.as().contentType("application/json").body(SEED_BODY.replace("\"draft\"", "null")).when().post("/demo/proposals")
                .then().statusCode(201).body("status", equalTo("draft"));
        t.as().contentType("application/json").body(withStatus("accepted")).when().put("/demo/proposals/prop-001").then().statusCode(409)
                .contentType("application/problem+json").body("allowed", equalTo(List.of("sent"))).body("detail", containsString("allowed: sent"));
        t.as().contentType("application/json").body(withStatus("sent")).when().put("/demo/proposals/prop-001").then().statusCode(200)
                .body("status", equalTo("sent"));
        t.as().contentType("application/json").body(withStatus("draft")).when().put("/demo/proposals/prop-001").then().statusCode(409)
                .body("allowed", equalTo(List.of("accepted", "rejected"))).body("currentStatus", equalTo("sent"));
        t.as().contentType("application/json").body(withStatus("accepted")).when().put("/demo/proposals/prop-001").then().statusCode(200);
        t.as().contentType("application/json").body(withStatus("rejected")).when().put("/demo/proposals/prop-001").then().statusCode(409)
                .body("allowed", equalTo(List.of())).body("detail", containsString("final"));
        t.as().when().get("/demo/proposals/prop-001").then().body("status", equalTo("accepted")).body("version", equalTo(3));
    }

    @Test
    void aNewProposalMustStartAsDraftForAnExistingClientOfTheSameTenant() {
        TestTenant t = tenantWithSeedClient();
        t.as().contentType("application/json").body(withStatus("sent")).when().post("/demo/proposals").then().statusCode(409);
        TestTenant other = TestTenants.client();
        other.as().contentType("application/json").body(SEED_BODY).when().post("/demo/proposals").then().statusCode(400)
                .body("errors[0].field", equalTo("client_id"));
        t.as().contentType("application/json").body(SEED_BODY.replace("implementation", "bribery")).when().post("/demo/proposals")
                .then().statusCode(400).body("detail", containsString("implementation, consulting"));
        t.as().contentType("application/json").body("""
                {"proposal_id": "p2", "client_id": "test-client-001", "proposal_type": "consulting",
                 "pricing": {"total": -5}, "timeline": {"start_date": "2026-03-01", "end_date": "2026-02-01"}, "resources": {"hours": "lots"}}""")
                .when().post("/demo/proposals").then().statusCode(400);
        t.as().contentType("application/json").body("""
                {"proposal_id": "p2", "client_id": "test-client-001", "proposal_type": "consulting",
                 "pricing": {"total": -5}, "timeline": {"start_date": "2026-03-01", "end_date": "2026-02-01"}}""")
                .when().post("/demo/proposals").then().statusCode(400)
                .body("errors.field", Matchers.hasItems("pricing.total", "timeline.end_date"));
    }

    @Test
    void listFiltersByClientAndStatus() {
        TestTenant t = tenantWithSeedClient();
        t.as().contentType("application/json").body("{\"client_id\": \"c2\", \"client_name\": \"C2\", \"license_type\": \"basic\"}")
                .when().post("/demo/clients").then().statusCode(201);
        for (String[] p : new String[][] { { "p1", "test-client-001" }, { "p2", "test-client-001" }, { "p3", "c2" } }) {
            t.as().contentType("application/json").body(SEED_BODY.replace("prop-001", p[0]).replace("test-client-001", p[1]))
                    .when().post("/demo/proposals").then().statusCode(201);
        }
        t.as().contentType("application/json").body(withStatus("sent").replace("prop-001", "p2")).when().put("/demo/proposals/p2").then()
                .statusCode(200);

        t.as().queryParam("client_id", "test-client-001").queryParam("status", "draft").when().get("/demo/proposals")
                .then().statusCode(200).body("items.proposal_id", equalTo(List.of("p1")));
        t.as().queryParam("client_id", "test-client-001").when().get("/demo/proposals").then().body("items.proposal_id",
                equalTo(List.of("p1", "p2")));
        t.as().queryParam("status", "won").when().get("/demo/proposals").then().statusCode(400);
    }
}
