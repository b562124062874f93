package io.wharf.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.specification.RequestSpecification;

/**
 * Tenants for tests, made through the real administration API with the bootstrap admin key of the test
 * profile, so that every test owns its data.
 */
public final class TestTenants {

    /** %test.wharf.auth.bootstrap-admin-key in application.properties. */
    public static final String BOOTSTRAP_ADMIN_KEY = "wharf_testadmin000_test-suite-bootstrap-key-not-a-secret-0001";

    private TestTenants() {
    }

    public record TestTenant(UUID id, String name, UUID keyId, String key) {

        public RequestSpecification as() {
            return given().header("Authorization", "Bearer " + key);
        }
    }

    public static RequestSpecification asAdmin() {
        return given().header("Authorization", "Bearer " + BOOTSTRAP_ADMIN_KEY);
    }

    public static TestTenant client() {
        return create(List.of("client"));
    }

    public static TestTenant admin() {
        return create(List.of("admin"));
    }

    public static TestTenant create(List<String> scopes) {
        String name = "test-" + UUID.randomUUID();
        Map<String, Object> body = asAdmin().contentType("application/json").body(Map.of("name", name, "scopes", scopes))
                .when().post("/api/admin/tenants")
                .then().statusCode(201).extract().as(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> tenant = (Map<String, Object>) body.get("tenant");
        @SuppressWarnings("unchecked")
        Map<String, Object> key = (Map<String, Object>) body.get("apiKey");
        return new TestTenant(UUID.fromString((String) tenant.get("id")), name, UUID.fromString((String) key.get("id")),
                (String) key.get("key"));
    }
}
