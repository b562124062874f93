package io.wharf.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;

/**
 * The same write sent many times at once: the race between two requests is the server's business, so
 * every answer is a 2xx or the 4xx the client would get one after another (409 for a duplicate create,
 * 412 for a lost update), never a 5xx, and the table ends as if they had come in turn.
 */
@QuarkusTest
class ConcurrentWritesTest {

    @Inject
    DataSource ds;

    private record Type(String path, String table, String idColumn, String resourceType,
            BiFunction<String, Integer, String> body) {

        String body(String id) {
            return body.apply(id, 0);
        }
    }

    private static final List<Type> TYPES = List.of(
            new Type("/connector/profiles", "connector_profiles", "id", "connector_profile",
                    (id, n) -> "{\"id\": \"" + id + "\", \"name\": \"N" + n
                            + "\", \"type\": \"api\", \"connection_string\": \"https://example.com\"}"),
            new Type("/demo/clients", "client_configs", "client_id", "client_config",
                    (id, n) -> "{\"client_id\": \"" + id + "\", \"client_name\": \"C" + n + "\", \"license_type\": \"basic\"}"),
            new Type("/demo/proposals", "service_proposals", "proposal_id", "service_proposal",
                    (id, n) -> "{\"proposal_id\": \"" + id
                            + "\", \"client_id\": \"base\", \"proposal_type\": \"consulting\", \"pricing\": {\"total\": " + n + "}}"));

    /** Runs {@code n} copies of a request released together; answers their statuses, counted. */
    private static Map<Integer, Integer> atOnce(int n, Supplier<Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return request.get();
                }));
            }
            ready.await(30, TimeUnit.SECONDS);
            go.countDown();
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (Future<Response> f : answers) {
                Response r = f.get(60, TimeUnit.SECONDS);
                statuses.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() >= 400) {
                    assertThat(r.contentType()).startsWith("application/problem+json");
                }
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static TestTenant tenantWithBaseClient() {
        TestTenant t = TestTenants.client();
        t.as().contentType("application/json").body("{\"client_id\": \"base\", \"client_name\": \"B\", \"license_type\": \"basic\"}")
                .post("/demo/clients").then().statusCode(201);
        return t;
    }

    private long count(Type type, TestTenant t, String id) {
        return ((Number) Sql.scalar(ds, "SELECT count(*) FROM " + type.table() + " WHERE tenant_id = ? AND " + type.idColumn() + " = ?",
                t.id(), id)).longValue();
    }

    private long audits(TestTenant t, Type type, String resourceId, String action) {
        return ((Number) Sql.scalar(ds,
                "SELECT count(*) FROM audit_logs WHERE tenant_id = ? AND resource_type = ? AND resource_id = ? AND action = ?",
                t.id(), type.resourceType(), resourceId, action)).longValue();
    }

    @Test
    void twentyConcurrentCreatesOfOneIdGiveOne201AndNineteen409() throws Exception {
        TestTenant t = tenantWithBaseClient();
        for (Type type : TYPES) {
            String body = type.body("dup");
            Map<Integer, Integer> statuses = atOnce(20, () -> t.as().contentType("application/json").body(body).post(type.path()));
            assertThat(statuses).as(type.path()).isEqualTo(Map.of(201, 1, 409, 19));
            assertThat(count(type, t, "dup")).as(type.path()).isEqualTo(1);
            assertThat(audits(t, type, "dup", "create")).as(type.path()).isEqualTo(1);
        }
    }

    @Test
    void tenConcurrentReplacesWithOneIfMatchGiveOne200AndNine412() throws Exception {
        TestTenant t = tenantWithBaseClient();
        for (Type type : TYPES) {
            t.as().contentType("application/json").body(type.body("doc")).post(type.path()).then().statusCode(201);
            AtomicInteger n = new AtomicInteger();
            Map<Integer, Integer> statuses = atOnce(10, () -> t.as().header("If-Match", "\"1\"").contentType("application/json")
                    .body(type.body().apply("doc", n.incrementAndGet())).put(type.path() + "/doc"));
            assertThat(statuses).as(type.path()).isEqualTo(Map.of(200, 1, 412, 9));
            assertThat(Sql.scalar(ds, "SELECT version FROM " + type.table() + " WHERE tenant_id = ? AND " + type.idColumn() + " = 'doc'", t.id()))
                    .as(type.path()).isEqualTo(2L);
        }
    }

    @Test
    void concurrentReplacesWithoutIfMatchNeverFail() throws Exception {
        TestTenant t = tenantWithBaseClient();
        for (Type type : TYPES) {
            t.as().contentType("application/json").body(type.body("free")).post(type.path()).then().statusCode(201);
            AtomicInteger n = new AtomicInteger();
            Map<Integer, Integer> statuses = atOnce(10, () -> t.as().contentType("application/json")
                    .body(type.body().apply("free", n.incrementAndGet())).put(type.path() + "/free"));
            assertThat(statuses.keySet()).as(type.path()).isSubsetOf(200, 412);
            long version = (Long) Sql.scalar(ds, "SELECT version FROM " + type.table() + " WHERE tenant_id = ? AND " + type.idColumn() + " = 'free'",
                    t.id());
            assertThat(version).as(type.path()).isEqualTo(1L + statuses.getOrDefault(200, 0));
            assertThat(audits(t, type, "free", "update")).as(type.path()).isEqualTo((long) statuses.getOrDefault(200, 0));
        }
    }

    @Test
    void concurrentDeletesOfOneDocumentDeleteItOnce() throws Exception {
        TestTenant t = tenantWithBaseClient();
        for (Type type : TYPES.subList(0, 2)) { // proposals cannot be deleted
            t.as().contentType("application/json").body(type.body("gone")).post(type.path()).then().statusCode(201);
            Map<Integer, Integer> statuses = atOnce(10, () -> t.as().header("If-Match", "\"1\"").delete(type.path() + "/gone"));
            assertThat(statuses.get(204)).as(type.path()).isEqualTo(1);
            assertThat(statuses.keySet()).as(type.path()).isSubsetOf(204, 404, 412);
            assertThat(count(type, t, "gone")).isZero();
            assertThat(audits(t, type, "gone", "delete")).as(type.path()).isEqualTo(1);
        }
    }

    @Test
    void concurrentKeyRevocationsNeverFail() throws Exception {
        TestTenant t = TestTenants.client();
        Map<Integer, Integer> statuses = atOnce(10,
                () -> TestTenants.asAdmin().delete("/api/admin/tenants/" + t.id() + "/keys/" + t.keyId()));
        assertThat(statuses.keySet()).allMatch(s -> s < 500);
        t.as().get("/demo/clients").then().statusCode(401);
    }
}
