package io.wharf.tenant;

import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;

/**
 * The verified-key cache never outlives a revocation, and made-up keys cannot crowd out real ones.
 * "Served from the cache" is observed through the database: while a test connection holds an exclusive
 * lock on api_keys, only an answer from memory can arrive.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyCacheHardeningTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    DataSource ds;

    @Inject
    ApiKeyCache cache;

    private static HttpResponse<String> get(String key, Duration timeout) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/demo/clients"))
                .header("Authorization", "Bearer " + key).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static CompletableFuture<HttpResponse<String>> getAsync(String key, Duration timeout) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/demo/clients"))
                .header("Authorization", "Bearer " + key).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What another instance's revoke does: the row change and the notification, in one transaction. */
    private void revokeElsewhere(TestTenant t) {
        Sql.rows(ds, "WITH r AS (UPDATE api_keys SET revoked_at = NOW() WHERE id = ? RETURNING prefix) "
                + "SELECT pg_notify('wharf_api_keys', 'key:' || prefix) FROM r", t.keyId());
    }

    private static int statusWithin(String key, Duration window, int until) throws Exception {
        long deadline = System.nanoTime() + window.toNanos();
        int status;
        do {
            status = get(key, Duration.ofSeconds(10)).statusCode();
            if (status != until) {
                Thread.sleep(100);
            }
        } while (status != until && System.nanoTime() < deadline);
        return status;
    }

    /** Runs {@code body} while a second connection holds ACCESS EXCLUSIVE on api_keys, so no key lookup can read it. */
    private void withApiKeysLocked(ThrowingRunnable body) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE");
                body.run();
            } finally {
                c.rollback();
            }
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    @Order(1)
    void aLookupThatReadTheKeyBeforeARevocationNeverCachesItAfterTheEviction() throws Exception {
        TestTenant t = TestTenants.client();
        String prefix = ApiKeys.prefixOf(t.key()).orElseThrow();
        ApiKeyService.lookupObserver = seen -> {
            if (seen.equals(prefix)) {
                ApiKeyService.lookupObserver = p -> {
                };
                // the revocation commits, and its notification is delivered, after this lookup read the row
                revokeElsewhere(t);
                sleep(1500);
            }
        };
        try {
            assertThat(get(t.key(), Duration.ofSeconds(10)).statusCode()).as("the request that read the key before the revocation")
                    .isEqualTo(200);
        } finally {
            ApiKeyService.lookupObserver = p -> {
            };
        }
        assertThat(get(t.key(), Duration.ofSeconds(10)).statusCode()).as("the next request, after the revocation").isEqualTo(401);
        Thread.sleep(1000);
        assertThat(get(t.key(), Duration.ofSeconds(10)).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(6)
    void unexpectedNotificationsNeitherStopTheListenerNorTheCache() throws Exception {
        TestTenant t = TestTenants.client();
        for (String payload : List.of("tenant:not-a-uuid", "tenant:", "something else", "")) {
            Sql.rows(ds, "SELECT pg_notify('wharf_api_keys', ?)", payload);
        }
        Thread.sleep(1500);
        // on a busy machine the listener may handle the notifications (evicting every key) only after the key was
        // cached again: then the cached verdict is gone, and the next round caches it after the evictions
        boolean fromCache = false;
        for (int round = 0; round < 3 && !fromCache; round++) {
            assertThat(get(t.key(), Duration.ofSeconds(10)).statusCode()).isEqualTo(200);
            try {
                withApiKeysLocked(() -> assertThat(get(t.key(), Duration.ofSeconds(3)).statusCode()).isEqualTo(200));
                fromCache = true;
            } catch (HttpTimeoutException evictedMeanwhile) {
                // the lookup waited for the locked table: try again once the listener has caught up
            }
        }
        assertThat(fromCache).as("a verified key answers from the cache while api_keys is locked").isTrue();
        revokeElsewhere(t);
        assertThat(statusWithin(t.key(), Duration.ofSeconds(2), 401)).as("another instance's revocation still arrives").isEqualTo(401);
    }

    @Test
    @Order(3)
    void aSilentlyDeadListenConnectionStopsTheCacheFromAnsweringARevokedKey() throws Exception {
        TestTenant t = TestTenants.client();
        assertThat(get(t.key(), Duration.ofSeconds(10)).statusCode()).isEqualTo(200);
        Object pid = Sql.scalar(ds, "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                + "AND (application_name = 'wharf-api-key-listener' OR query LIKE 'LISTEN%') ORDER BY backend_start DESC LIMIT 1");
        assertThat(pid).as("the cache's LISTEN backend").isNotNull();
        // signalling a backend needs PostgreSQL on this machine and a user allowed to (root or postgres)
        Assumptions.assumeTrue(new ProcessBuilder("kill", "-0", String.valueOf(pid)).start().waitFor() == 0,
                "cannot signal PostgreSQL backends from this user/host");
        // the backend stops answering without closing its socket, as after a network partition
        signal("STOP", pid);
        try {
            revokeElsewhere(t);
            assertThat(statusWithin(t.key(), Duration.ofSeconds(10), 401))
                    .as("a revoked key is refused although its notification cannot arrive").isEqualTo(401);
        } finally {
            signal("CONT", pid);
        }
    }

    @Test
    @Order(2)
    void everyCachedVerdictExpiresAfterItsTtlEvenWithoutANotification() throws Exception {
        TestTenant t = TestTenants.client();
        assertThat(get(t.key(), Duration.ofSeconds(10)).statusCode()).isEqualTo(200);
        // a change whose notification was lost: only the TTL (5 s in the test profile) can catch it
        Sql.exec(ds, "UPDATE api_keys SET revoked_at = NOW() WHERE id = ?", t.keyId());
        assertThat(statusWithin(t.key(), Duration.ofSeconds(12), 401)).isEqualTo(401);
    }

    @Test
    @Order(4)
    void aFloodOfMadeUpKeysLeavesTheConnectionPoolToRealRequests() throws Exception {
        TestTenant t = TestTenants.client();
        String unknown = ApiKeys.generate().key();
        String unknownPrefix = ApiKeys.prefixOf(unknown).orElseThrow();
        String validPrefix = ApiKeys.prefixOf(t.key()).orElseThrow();
        // an earlier test froze and killed the LISTEN connection: wait until the cache may decide again and
        // holds both verdicts, or the lookups below would block on the lock for reasons this test is not about
        long ready = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        do {
            assertThat(get(unknown, Duration.ofSeconds(10)).statusCode()).isEqualTo(401);
            assertThat(get(t.key(), Duration.ofSeconds(10)).statusCode()).isEqualTo(200);
            if (cache.refused(unknownPrefix) && cache.get(validPrefix).isPresent()) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < ready);
        assertThat(cache.refused(unknownPrefix) && cache.get(validPrefix).isPresent()).as("cache holds both verdicts").isTrue();
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        withApiKeysLocked(() -> {
            // the same unknown key again: refused from memory, no lookup
            assertThat(get(unknown, Duration.ofSeconds(3)).statusCode()).isEqualTo(401);
            // every lookup of a fresh made-up key now blocks on the lock, as under a slow database
            for (int i = 0; i < 80; i++) {
                flood.add(getAsync(ApiKeys.generate().key(), Duration.ofSeconds(30)));
            }
            Thread.sleep(1500);
            long started = System.nanoTime();
            HttpResponse<String> real = get(t.key(), Duration.ofSeconds(8));
            assertThat(real.statusCode()).as("a valid key during the flood: %s", real.body()).isEqualTo(200);
            System.out.printf("valid key answered in %d ms during a flood of 80 made-up keys%n", (System.nanoTime() - started) / 1_000_000);
        });
        for (CompletableFuture<HttpResponse<String>> f : flood) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).as(r.body()).isIn(401, 503);
            if (r.statusCode() == 503) {
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                assertThat(r.body()).contains("https://wharf.io/problems/service-unavailable");
            }
        }
    }

    @Test
    @Order(5)
    void answersCarryingANewKeyAreNeverStored() {
        Map<String, Object> body = asAdmin().contentType("application/json").body(Map.of("name", "no-store-" + System.nanoTime()))
                .when().post("/api/admin/tenants").then().statusCode(201).header("Cache-Control", "no-store")
                .extract().as(Map.class);
        @SuppressWarnings("unchecked")
        String tenantId = (String) ((Map<String, Object>) body.get("tenant")).get("id");
        String keyId = asAdmin().contentType("application/json").body(Map.of("name", "second"))
                .when().post("/api/admin/tenants/" + tenantId + "/keys").then().statusCode(201).header("Cache-Control", "no-store")
                .extract().path("id");
        asAdmin().when().post("/api/admin/tenants/" + tenantId + "/keys/" + keyId + "/rotate").then().statusCode(201)
                .header("Cache-Control", "no-store");
    }

    private static void signal(String signal, Object pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
