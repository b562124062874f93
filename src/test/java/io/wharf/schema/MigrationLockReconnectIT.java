package io.wharf.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.wharf.testing.AppProcess;
import io.wharf.testing.Migrations;
import io.wharf.testing.Sql;
import io.wharf.testing.TestDatabases;

/** A start waiting for another instance's migration keeps waiting when its connection is killed. */
class MigrationLockReconnectIT {

    private static final Duration START = Duration.ofSeconds(90);

    @Test
    void aStartWaitingForTheMigrationLockReconnectsWhenItsConnectionIsKilled() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_lockre"); Connection holder = db.dataSource().getConnection()) {
            try (Statement st = holder.createStatement()) {
                st.execute("SELECT pg_advisory_lock(" + WharfFlyway.MIGRATE_LOCK + ")");
            }
            try (AppProcess app = AppProcess.start(db, Map.of())) {
                String waiting = "SELECT pid FROM pg_stat_activity WHERE datname = ? AND query LIKE 'SELECT pg_try_advisory_lock%' "
                        + "AND pid <> pg_backend_pid()";
                long deadline = System.nanoTime() + START.toNanos();
                while (Sql.rows(db.dataSource(), waiting, db.name()).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(Sql.rows(db.dataSource(), waiting, db.name())).as("the start polls for the migration lock").isNotEmpty();
                Sql.rows(db.dataSource(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? "
                        + "AND query LIKE 'SELECT pg_try_advisory_lock%' AND pid <> pg_backend_pid()", db.name());
                Thread.sleep(1500);
                try (Statement st = holder.createStatement()) {
                    st.execute("SELECT pg_advisory_unlock(" + WharfFlyway.MIGRATE_LOCK + ")");
                }
                app.awaitUp(START);
                assertThat(app.output()).contains("Lost the connection waiting for the migration lock")
                        .contains("Successfully applied " + Migrations.count() + " migrations");
            }
        }
    }
}
