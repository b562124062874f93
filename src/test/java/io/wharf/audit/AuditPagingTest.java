package io.wharf.audit;

import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;

/** Audit pages are keyset pages on (created_at, id) that an index answers in order, with or without a tenant filter. */
@QuarkusTest
class AuditPagingTest {

    @Inject
    DataSource ds;

    @Test
    void pagesWithoutATenantFilterAreReadFromTheCreatedAtIdIndexWithoutSorting() throws Exception {
        String plan = explain("EXPLAIN SELECT * FROM audit_logs WHERE (created_at, id) < ('2030-01-01T00:00:00Z'::timestamptz,"
                + " '00000000-0000-0000-0000-000000000000'::uuid) ORDER BY created_at DESC, id DESC LIMIT 51");
        assertThat(plan).contains("ix_audit_logs_created_id").doesNotContain("Sort");
        assertThat(explain("EXPLAIN SELECT * FROM audit_logs ORDER BY created_at DESC, id DESC LIMIT 51"))
                .contains("ix_audit_logs_created_id").doesNotContain("Sort");
    }

    @Test
    void pagingThroughTheWholeTrailNeitherRepeatsNorSkipsARow() {
        TestTenant t = TestTenants.client();
        for (int i = 0; i < 5; i++) {
            t.as().contentType("application/json").body("{\"client_id\": \"c" + i + "\", \"client_name\": \"C\", \"license_type\": \"basic\"}")
                    .post("/demo/clients").then().statusCode(201);
        }
        List<String> ids = new ArrayList<>();
        String cursor = null;
        OffsetDateTime last = null;
        do {
            var spec = asAdmin().queryParam("tenantId", t.id().toString()).queryParam("limit", 2);
            if (cursor != null) {
                spec.queryParam("cursor", cursor);
            }
            var page = spec.get("/api/admin/audit").then().statusCode(200).extract().jsonPath();
            for (Map<String, Object> item : page.<Map<String, Object>>getList("items")) {
                ids.add((String) item.get("id"));
                OffsetDateTime at = OffsetDateTime.parse((String) item.get("createdAt"));
                assertThat(last == null || !at.isAfter(last)).isTrue();
                last = at;
            }
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        // tenant creation, its first key, five documents
        assertThat(ids).hasSize(7);
        assertThat(new HashSet<>(ids)).hasSize(7);

        // the unfiltered trail pages the same way
        var first = asAdmin().queryParam("limit", 3).get("/api/admin/audit").then().statusCode(200).extract().jsonPath();
        var second = asAdmin().queryParam("limit", 3).queryParam("cursor", first.getString("nextCursor")).get("/api/admin/audit")
                .then().statusCode(200).extract().jsonPath();
        List<String> both = new ArrayList<>(first.getList("items.id"));
        both.addAll(second.getList("items.id"));
        assertThat(new HashSet<>(both)).hasSize(6);
    }

    /** The plan PostgreSQL would choose if the table were large (sequential and bitmap scans priced out, as they are on a big table read by LIMIT), in a transaction of its own. */
    private String explain(String sql) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL enable_seqscan = off");
                st.execute("SET LOCAL enable_bitmapscan = off");
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }
}
