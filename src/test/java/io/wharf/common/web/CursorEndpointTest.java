package io.wharf.common.web;

import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;

/** A cursor is a position in the list that wrote it: any other list refuses it as it refuses a forged one. */
@QuarkusTest
class CursorEndpointTest {

    private static final List<String> DOCUMENT_LISTS = List.of("/connector/profiles", "/demo/clients", "/demo/proposals");
    private static final String AUDIT = "/api/admin/audit";

    private static Response list(TestTenant t, String path, String cursor) {
        var request = (path.equals(AUDIT) ? asAdmin() : t.as()).queryParam("limit", 1);
        if (cursor != null) {
            request = request.queryParam("cursor", cursor);
        }
        return request.get(path);
    }

    private static void post(TestTenant t, String path, String body) {
        t.as().contentType("application/json").body(body).post(path).then().statusCode(201);
    }

    @Test
    void aCursorFromOneListIsABadRequestAtEveryOther() {
        TestTenant t = TestTenants.client();
        for (String id : List.of("c1", "c2")) {
            post(t, "/demo/clients", "{\"client_id\": \"" + id + "\", \"client_name\": \"C\", \"license_type\": \"basic\"}");
            post(t, "/connector/profiles", "{\"id\": \"" + id + "\", \"name\": \"P\", \"type\": \"sql\"}");
            post(t, "/demo/proposals", "{\"proposal_id\": \"" + id + "\", \"client_id\": \"c1\", \"proposal_type\": \"implementation\"}");
        }
        Map<String, String> cursors = new LinkedHashMap<>();
        for (String path : List.of("/connector/profiles", "/demo/clients", "/demo/proposals", AUDIT)) {
            String cursor = list(t, path, null).then().statusCode(200).extract().path("nextCursor");
            assertThat(cursor).as(path).isNotNull();
            // its own list takes it
            list(t, path, cursor).then().statusCode(200);
            cursors.put(path, cursor);
        }
        List<String> accepted = new ArrayList<>();
        for (var from : cursors.entrySet()) {
            for (String to : cursors.keySet()) {
                if (to.equals(from.getKey())) {
                    continue;
                }
                Response r = list(t, to, from.getValue());
                if (r.statusCode() != 400) {
                    accepted.add("cursor of " + from.getKey() + " at " + to + " -> " + r.statusCode());
                    continue;
                }
                r.then().contentType("application/problem+json").body("type", equalTo("https://wharf.io/problems/bad-request"))
                        .body("detail", containsString("start again without it"));
            }
        }
        assertThat(accepted).isEmpty();
    }

    @Test
    void aCursorWrittenBeforeCursorsNamedTheirListIsRefused() {
        TestTenant t = TestTenants.client();
        post(t, "/demo/clients", "{\"client_id\": \"c1\", \"client_name\": \"C\", \"license_type\": \"basic\"}");
        // the earlier format: "<epoch seconds>.<nanos>|<id>"
        String old = Base64.getUrlEncoder().withoutPadding().encodeToString("1700000000.0|c1".getBytes(StandardCharsets.UTF_8));
        for (String path : DOCUMENT_LISTS) {
            list(t, path, old).then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("start again without it"));
        }
    }
}
