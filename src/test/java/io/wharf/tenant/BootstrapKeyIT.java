package io.wharf.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.wharf.testing.AppProcess;
import io.wharf.testing.Sql;
import io.wharf.testing.TestDatabases;

/** The bootstrap admin key in the packaged application: published keys refused, concurrent first starts. */
class BootstrapKeyIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final String DEV_KEY = "wharf_devadmin0000_local-development-only-key-do-not-use-in-prod";
    private static final String TEST_KEY = "wharf_testadmin000_test-suite-bootstrap-key-not-a-secret-0001";
    private static final String OWN_KEY = "wharf_itboot000000_integration-test-bootstrap-key-000000001";

    @Test
    void aProductionStartConfiguredWithAPublishedKeyRefusesToStart() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_boot")) {
            for (String published : new String[] { DEV_KEY, TEST_KEY }) {
                try (AppProcess app = AppProcess.start(db, Map.of("wharf.auth.bootstrap-admin-key", published))) {
                    assertThat(app.awaitExit(START)).isNotZero();
                    assertThat(app.output()).contains("published").contains("refusing to start").doesNotContain(published);
                }
            }
            assertThat(Sql.scalar(db.dataSource(), "SELECT count(*) FROM api_keys")).isEqualTo(0L);
        }
    }

    @Test
    void productionRefusesAPublishedKeyThatADevRunRegisteredInItsDatabase() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_boot")) {
            try (AppProcess app = AppProcess.start(db, Map.of("wharf.auth.bootstrap-admin-key", OWN_KEY)).awaitUp(START)) {
                // what `quarkus:dev` pointed at this database would have stored
                Sql.exec(db.dataSource(), "INSERT INTO api_keys (tenant_id, name, prefix, key_hash, scopes) "
                        + "SELECT tenant_id, 'dev', 'devadmin0000', encode(sha256(?::bytea), 'hex'), scopes FROM api_keys WHERE prefix = 'itboot000000'",
                        DEV_KEY);
                assertThat(app.call("GET", "/api/admin/tenants", OWN_KEY, null).statusCode()).isEqualTo(200);
                assertThat(app.call("GET", "/api/admin/tenants", DEV_KEY, null).statusCode()).isEqualTo(401);
            }
        }
    }

    @Test
    void twoInstancesStartingWithTheSameNewKeyBothStartAndRegisterItOnce() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_boot")) {
            try (AppProcess first = AppProcess.start(db, Map.of()).awaitUp(START)) {
                // migrated, no key yet
            }
            // hold both registrations inside their transactions until both instances are registering
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                AppProcess a;
                AppProcess b;
                try (Statement st = c.createStatement()) {
                    st.execute("LOCK TABLE api_keys IN EXCLUSIVE MODE");
                    a = AppProcess.start(db, Map.of("wharf.auth.bootstrap-admin-key", OWN_KEY));
                    b = AppProcess.start(db, Map.of("wharf.auth.bootstrap-admin-key", OWN_KEY));
                    long deadline = System.nanoTime() + START.toNanos();
                    while (System.nanoTime() < deadline && (Long) Sql.scalar(db.dataSource(),
                            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid WHERE NOT l.granted AND s.datname = ?",
                            db.name()) < 2) {
                        Thread.sleep(200);
                    }
                } finally {
                    c.commit();
                }
                try (a; b) {
                    a.awaitUp(START);
                    b.awaitUp(START);
                    assertThat(a.call("GET", "/api/admin/tenants", OWN_KEY, null).statusCode()).isEqualTo(200);
                    assertThat(b.call("GET", "/api/admin/tenants", OWN_KEY, null).statusCode()).isEqualTo(200);
                }
            }
            assertThat(Sql.scalar(db.dataSource(), "SELECT count(*) FROM api_keys WHERE prefix = 'itboot000000'")).isEqualTo(1L);
            assertThat(Sql.scalar(db.dataSource(), "SELECT count(*) FROM tenants WHERE name = 'operators'")).isEqualTo(1L);
        }
    }
}
