package io.wharf.tenant;

import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;

/**
 * The revoke (or deactivate) answer is the promise that the key no longer works on this instance. A
 * request that looked the key up while the change was still uncommitted may cache it; the eviction that
 * follows the commit must remove it before the answer is sent, not only the NOTIFY, which arrives
 * whenever the LISTEN connection gets to it. To make that "whenever" deterministic, the change is held
 * just before its commit (a lock on audit_logs blocks its audit row) while the lookup runs, and the
 * LISTEN backend is stopped (SIGSTOP) so that the NOTIFY cannot arrive before the next request.
 */
@QuarkusTest
class RevocationCommitTest {

    @Inject
    DataSource ds;

    @Inject
    ApiKeyCache cache;

    @Test
    void aKeyLookedUpWhileItsRevocationWasUncommittedIsRefusedRightAfterTheRevokeAnswer() throws Exception {
        TestTenant t = TestTenants.client();
        afterChangeHeldBeforeCommit(t, () -> asAdmin().delete("/api/admin/tenants/" + t.id() + "/keys/" + t.keyId()).statusCode());
    }

    @Test
    void aKeyLookedUpWhileItsTenantsDeactivationWasUncommittedIsRefusedRightAfterTheAnswer() throws Exception {
        TestTenant t = TestTenants.client();
        afterChangeHeldBeforeCommit(t, () -> asAdmin().contentType("application/json").body(Map.of("active", false))
                .patch("/api/admin/tenants/" + t.id()).statusCode());
    }

    private void afterChangeHeldBeforeCommit(TestTenant t, Supplier<Integer> change) throws Exception {
        Object listener = Sql.scalar(ds, "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                + "AND application_name = 'wharf-api-key-listener' ORDER BY backend_start DESC LIMIT 1");
        assertThat(listener).as("the cache's LISTEN backend").isNotNull();
        Assumptions.assumeTrue(new ProcessBuilder("kill", "-0", String.valueOf(listener)).start().waitFor() == 0,
                "cannot signal PostgreSQL backends from this user/host");
        CompletableFuture<Integer> answer;
        boolean stopped = false;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // the change's audit row (written in its transaction, after the cache eviction it used to do) waits for this
                st.execute("LOCK TABLE audit_logs IN SHARE MODE");
                answer = CompletableFuture.supplyAsync(change);
                awaitBlockedOnAuditLogs();
                String prefix = ApiKeys.prefixOf(t.key()).orElseThrow();
                // a lookup caches nothing while the cache is paused or another eviction runs: ask again until it has
                for (int i = 0; i < 10 && cache.get(prefix).isEmpty(); i++) {
                    awaitFreshKeepalive(listener);
                    assertThat(t.as().get("/demo/clients").statusCode()).as("a request while the change is uncommitted").isEqualTo(200);
                }
                assertThat(cache.get(prefix)).as("the uncommitted lookup cached the key, as it may").isPresent();
                // the cache answers only within a few seconds of its last keepalive, which the stopped backend cannot answer
                awaitFreshKeepalive(listener);
                signal("STOP", listener);
                stopped = true;
            } finally {
                c.rollback();
            }
            assertThat(answer.get(20, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(t.as().get("/demo/clients").statusCode()).as("the first request after the answer").isEqualTo(401);
        } finally {
            if (stopped) {
                signal("CONT", listener);
            }
        }
    }

    private void awaitFreshKeepalive(Object listener) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            Object fresh = Sql.scalar(ds, "SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND query = 'SELECT 1' "
                    + "AND state = 'idle' AND now() - query_start < interval '250 milliseconds'", ((Number) listener).intValue());
            if (((Number) fresh).longValue() > 0) {
                return;
            }
            Thread.sleep(10);
        }
    }

    private void awaitBlockedOnAuditLogs() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            Object waiting = Sql.scalar(ds, "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'audit_logs'::regclass");
            if (((Number) waiting).longValue() > 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the change never reached its audit row");
    }

    private static void signal(String signal, Object pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }
}
