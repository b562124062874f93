package io.wharf.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.wharf.testing.TestTenants;

/** Every error answer is an RFC 9457 problem that says what is wrong, without internals. */
@QuarkusTest
class ProblemResponsesTest {

    private static TestTenants.TestTenant tenant;

    private static RequestSpecification client() {
        if (tenant == null) {
            tenant = TestTenants.client();
        }
        return tenant.as();
    }

    private static ValidatableResponse problem(ValidatableResponse r, int status, String slug) {
        return r.statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("https://wharf.io/problems/" + slug))
                .body("title", notNullValue())
                .body("status", equalTo(status))
                .body("detail", notNullValue())
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")));
    }

    @Test
    void unknownRouteIs404Problem() {
        problem(given().when().get("/no/such/route").then(), 404, "not-found")
                .body("instance", equalTo("/no/such/route"));
    }

    @Test
    void wrongMethodIs405Problem() {
        problem(TestTenants.asAdmin().contentType("application/json").body("{}").when().post("/api/admin/schema").then(), 405, "method-not-allowed");
    }

    @Test
    void wrongContentTypeIs415Problem() {
        problem(client().contentType("text/plain").body("x").when().post("/test-fixtures/echo").then(), 415, "unsupported-media-type");
    }

    @Test
    void malformedJsonIs400ProblemWithPosition() {
        problem(client().contentType("application/json").body("{\"name\": \"a\",,}").when().post("/test-fixtures/echo").then(), 400, "malformed-json")
                .body("detail", allOf(containsString("not valid JSON"), containsString("line 1")));
    }

    @Test
    void wrongTypeNamesTheFieldAndTheExpectedJsonType() {
        problem(client().contentType("application/json").body("{\"name\": \"a\", \"count\": \"many\", \"items\": [{\"name\": \"x\"}]}")
                .when().post("/test-fixtures/echo").then(), 400, "validation-failed")
                .body("detail", allOf(containsString("'count'"), containsString("expected a number")));
        problem(client().contentType("application/json").body("{\"name\": \"a\", \"count\": 1, \"items\": [{\"name\": [1]}]}")
                .when().post("/test-fixtures/echo").then(), 400, "validation-failed")
                .body("detail", allOf(containsString("'items[0].name'"), containsString("expected a string")));
    }

    @Test
    void unknownEnumValueListsTheAllowedOnes() {
        problem(client().contentType("application/json").body("{\"name\": \"a\", \"count\": 1, \"tier\": \"gold\", \"items\": [{\"name\": \"x\"}]}")
                .when().post("/test-fixtures/echo").then(), 400, "validation-failed")
                .body("detail", allOf(containsString("'tier'"), containsString("basic, professional")));
    }

    @Test
    void validationListsEveryInvalidField() {
        problem(client().contentType("application/json").body("{\"name\": \"far too long a name\", \"count\": 0, \"items\": [{\"name\": \"\"}]}")
                .when().post("/test-fixtures/echo").then(), 400, "validation-failed")
                .body("errors.field", hasItems("name", "count", "items[0].name"))
                .body("detail", containsString("count"));
        problem(client().contentType("application/json").body("{\"count\": 2}").when().post("/test-fixtures/echo").then(), 400, "validation-failed")
                .body("errors.field", hasItems("name", "items"));
    }

    @Test
    void emptyOrNonObjectBodyIs400() {
        problem(client().contentType("application/json").body("[1,2]").when().post("/test-fixtures/echo").then(), 400, "malformed-json");
        problem(client().contentType("application/json").when().post("/test-fixtures/echo").then(), 400, "validation-failed");
    }

    @Test
    void oversizedBodyIs413ProblemWithoutBeingRead() {
        String huge = "{\"name\": \"" + "x".repeat(3 * 1024 * 1024) + "\", \"count\": 1, \"items\": [{\"name\": \"x\"}]}";
        problem(client().contentType("application/json").body(huge).when().post("/test-fixtures/echo").then(), 413, "payload-too-large")
                .body("detail", containsString("at most 2097152 bytes"));
    }

    @Test
    void unexpectedFailureIs500WithAnErrorIdAndNoInternals() {
        problem(client().contentType("application/json").body("{\"name\": \"explode\", \"count\": 1, \"items\": [{\"name\": \"x\"}]}")
                .when().post("/test-fixtures/echo").then(), 500, "internal")
                .body("errorId", notNullValue())
                .body(not(containsString("org.example.Secret")));
    }
}
