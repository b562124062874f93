package io.wharf.common;

import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;

/**
 * Every list endpoint with hostile query parameters, and hostile path ids and bodies: a client's mistake
 * is a 4xx problem naming what was wrong, never a 5xx, and nothing is written.
 */
@QuarkusTest
class HostileInputTest {

    @Inject
    DataSource ds;

    private static final String LONG = "x".repeat(3000);

    private static String cursor(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Cursors no list ever handed out: garbage, out of PostgreSQL's timestamp range, NUL or overlong ids. */
    private static final List<String> BAD_CURSORS = List.of("%00", "!!!", "AAAA", cursor("abc|x"), cursor("1.0"),
            cursor("9999999999999.0|x"), cursor("-999999999999.0|x"), cursor("9223372036854775807.0|x"),
            cursor("-9223372036854775808.0|x"), cursor("1.0|a\u0000b"), cursor("1.0|" + "y".repeat(300)), cursor("1.-5|x"),
            cursor("99999999999999999999.0|x"));

    private static final List<String> BAD_TIMES = List.of("not-a-date", "%00", "%2B999999999-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z", "%2B300000-01-01T00:00:00Z", "-5000-01-01T00:00:00Z", "2025-13-01T00:00:00Z");

    private static final List<String> BAD_LIMITS = List.of("99999999999999999999", "-1", "0", "abc", "201", "%00", "1e3", "2147483648");

    private record Endpoint(String path, List<String> stringFilters, String timeFrom, String timeTo, boolean admin) {
    }

    private static final List<Endpoint> DOCUMENT_LISTS = List.of(
            new Endpoint("/connector/profiles", List.of("name", "test_status", "type"), "created_after", "created_before", false),
            new Endpoint("/demo/clients", List.of("module", "license_type"), "created_after", "created_before", false),
            new Endpoint("/demo/proposals", List.of("client_id", "proposal_type", "status"), "created_after", "created_before", false));

    private static final Endpoint AUDIT = new Endpoint("/api/admin/audit",
            List.of("action", "resourceType", "resourceId", "userId", "tenantId"), "from", "to", true);

    private long rows(TestTenant t) {
        return ((Number) Sql.scalar(ds, "SELECT (SELECT count(*) FROM connector_profiles WHERE tenant_id = ?)"
                + " + (SELECT count(*) FROM client_configs WHERE tenant_id = ?) + (SELECT count(*) FROM service_proposals WHERE tenant_id = ?)"
                + " + (SELECT count(*) FROM audit_logs)", t.id(), t.id(), t.id())).longValue();
    }

    private static RequestSpecification as(TestTenant t, boolean admin) {
        return (admin ? asAdmin() : t.as()).urlEncodingEnabled(false);
    }

    /** The answer is a 4xx problem document; {@code exactly} pins the status when it is known. */
    private static void refused(Response r, String what, Integer exactly, List<String> failures) {
        int status = r.statusCode();
        boolean ok = status >= 400 && status < 500 && (exactly == null || status == exactly)
                && r.contentType().startsWith("application/problem+json");
        if (!ok) {
            failures.add(what + " -> " + status + " " + r.contentType() + " " + abbreviate(r.asString()));
        }
    }

    private static void notServerError(Response r, String what, List<String> failures) {
        if (r.statusCode() >= 500) {
            failures.add(what + " -> " + r.statusCode() + " " + abbreviate(r.asString()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    @Test
    void everyListEndpointRefusesHostileParametersWithAProblemAndWritesNothing() {
        TestTenant t = TestTenants.client();
        t.as().contentType("application/json").body("{\"client_id\": \"c1\", \"client_name\": \"C\", \"license_type\": \"basic\"}")
                .when().post("/demo/clients").then().statusCode(201);
        long before = rows(t);
        List<String> failures = new ArrayList<>();
        List<Endpoint> all = new ArrayList<>(DOCUMENT_LISTS);
        all.add(AUDIT);
        for (Endpoint e : all) {
            for (String f : e.stringFilters()) {
                for (String v : List.of("%00", "a%00b")) {
                    String url = e.path() + "?" + f + "=" + v;
                    Response r = as(t, e.admin()).get(url);
                    refused(r, url, 400, failures);
                    if (r.statusCode() == 400 && !r.jsonPath().getString("detail").contains(f)) {
                        failures.add(url + " -> detail does not name " + f + ": " + r.jsonPath().getString("detail"));
                    }
                }
                for (String v : List.of("%C3%28", "%FF%FE", LONG, "%E2%80%8B", "unknown-value", "%27%3B--")) {
                    notServerError(as(t, e.admin()).get(e.path() + "?" + f + "=" + v), e.path() + "?" + f + "=" + abbreviate(v), failures);
                }
            }
            for (String c : BAD_CURSORS) {
                refused(as(t, e.admin()).get(e.path() + "?cursor=" + c), e.path() + "?cursor=" + abbreviate(c), 400, failures);
            }
            for (String time : BAD_TIMES) {
                refused(as(t, e.admin()).get(e.path() + "?" + e.timeFrom() + "=" + time), e.path() + "?" + e.timeFrom() + "=" + time, 400, failures);
                refused(as(t, e.admin()).get(e.path() + "?" + e.timeTo() + "=" + time), e.path() + "?" + e.timeTo() + "=" + time, 400, failures);
            }
            for (String limit : BAD_LIMITS) {
                if (e.admin() && limit.equals("201")) {
                    continue; // the audit trail pages up to 500
                }
                Response r = as(t, e.admin()).get(e.path() + "?limit=" + limit);
                refused(r, e.path() + "?limit=" + limit, 400, failures);
                if (r.statusCode() == 400 && !r.jsonPath().getString("detail").contains("limit")) {
                    failures.add(e.path() + "?limit=" + limit + " -> detail does not name limit: " + r.jsonPath().getString("detail"));
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(rows(t)).isEqualTo(before);
    }

    @Test
    void aDocumentCursorSentToTheAuditTrailIsABadRequest() {
        TestTenant t = TestTenants.client();
        for (String id : List.of("c1", "c2")) {
            t.as().contentType("application/json").body("{\"client_id\": \"" + id + "\", \"client_name\": \"C\", \"license_type\": \"basic\"}")
                    .when().post("/demo/clients").then().statusCode(201);
        }
        String documentCursor = t.as().queryParam("limit", 1).get("/demo/clients").then().statusCode(200).extract().path("nextCursor");
        assertThat(documentCursor).isNotNull();
        asAdmin().queryParam("cursor", documentCursor).get("/api/admin/audit").then().statusCode(400)
                .contentType("application/problem+json");
        // and an audit cursor is no document position either: it is refused or simply a position, never a failure
        String auditCursor = asAdmin().queryParam("limit", 1).get("/api/admin/audit").then().statusCode(200).extract().path("nextCursor");
        assertThat(t.as().queryParam("cursor", auditCursor).get("/demo/clients").statusCode()).isLessThan(500);
    }

    @Test
    void hostilePathIdsAreNotFoundOrBadRequests() {
        TestTenant t = TestTenants.client();
        long before = rows(t);
        List<String> failures = new ArrayList<>();
        String body = "{\"client_name\": \"C\", \"license_type\": \"basic\"}";
        for (String base : List.of("/connector/profiles/", "/demo/clients/", "/demo/proposals/")) {
            for (String id : List.of("%00", "a%00b", "y".repeat(300), "%C3%28", "..%2F..%2Fetc")) {
                refused(as(t, false).get(base + id), "GET " + base + abbreviate(id), null, failures);
                refused(as(t, false).delete(base + id), "DELETE " + base + abbreviate(id), null, failures);
                refused(as(t, false).contentType("application/json").body(body).put(base + id), "PUT " + base + abbreviate(id), null, failures);
            }
        }
        refused(as(t, false).post("/connector/profiles/%00/test"), "POST /connector/profiles/%00/test", null, failures);
        for (String id : List.of("%00", "not-a-uuid", UUID.randomUUID().toString())) {
            refused(asAdmin().urlEncodingEnabled(false).get("/api/admin/tenants/" + id), "GET tenant " + id, null, failures);
            refused(asAdmin().urlEncodingEnabled(false).get("/api/admin/tenants/" + id + "/keys"), "GET keys " + id, null, failures);
        }
        assertThat(failures).isEmpty();
        assertThat(rows(t)).isEqualTo(before);
    }

    @Test
    void hostileBodiesAreRefusedAndNothingIsWritten() {
        TestTenant t = TestTenants.client();
        t.as().contentType("application/json").body("{\"client_id\": \"c1\", \"client_name\": \"C\", \"license_type\": \"basic\"}")
                .when().post("/demo/clients").then().statusCode(201);
        long before = rows(t);
        List<String> failures = new ArrayList<>();
        String proposal = "{\"proposal_id\": \"p1\", \"client_id\": \"c1\", \"proposal_type\": \"consulting\", \"pricing\": {\"total\": %s}}";
        for (String number : List.of("1e999999999", "-1e999999999", "1e-999999999", "1e131072", "1e-16384")) {
            refused(t.as().contentType("application/json").body(proposal.formatted(number)).post("/demo/proposals"),
                    "proposal total " + abbreviate(number), 400, failures);
        }
        for (String kpi : List.of("1e999999999", "-1e400")) {
            refused(t.as().contentType("application/json")
                    .body("{\"client_id\": \"c2\", \"client_name\": \"C\", \"license_type\": \"basic\", \"custom_kpis\": [" + kpi + "]}")
                    .post("/demo/clients"), "custom_kpis " + kpi, 400, failures);
        }
        refused(t.as().contentType("application/json").body("{\"client_id\": \"c2\", \"client_name\": \"C\", \"license_type\": \"basic\","
                + " \"preferences\": {\"a\\u0000\": 1}}").post("/demo/clients"), "NUL in a key", 400, failures);
        refused(asAdmin().contentType("application/json").body("{\"name\": \"a\\u0000b\"}").post("/api/admin/tenants"),
                "tenant name with NUL", 400, failures);
        refused(asAdmin().contentType("application/json").body("{\"name\": \"ok\", \"metadata\": {\"k\": \"a\\u0000b\"}}").post("/api/admin/tenants"),
                "tenant metadata with NUL", 400, failures);
        assertThat(failures).isEmpty();
        assertThat(rows(t)).isEqualTo(before);
    }
}
