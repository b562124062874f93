package io.wharf.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wharf.common.db.Jdbc;
import io.wharf.testing.Migrations;
import io.wharf.testing.Sql;
import io.wharf.testing.TestDatabases;

/**
 * Seed 002's promises about the migration system, each on a database of its own, driving Flyway with
 * exactly the configuration the application uses at start-up (WharfFlyway).
 */
class MigrationSystemTest {

    private static final int MIGRATIONS = Migrations.count();
    private TestDatabases.Db db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabases.create("wharf_mig");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private Flyway flyway(String... locations) {
        return WharfFlyway.apply(Flyway.configure().dataSource(db.dataSource())
                .locations(locations.length == 0 ? new String[] { "classpath:db/migration" } : locations)).load();
    }

    @Test
    void freshDatabaseGetsEverySchemaObjectAndALedgerRowPerMigration() throws Exception {
        MigrateResult result = flyway().migrate();

        assertThat(result.migrationsExecuted).isEqualTo(MIGRATIONS);
        assertThat(missingObjects()).isEmpty();
        List<Map<String, Object>> ledger = rows(
                "SELECT version, script, checksum, execution_time_ms, rollback_sql FROM schema_migrations ORDER BY version::int");
        assertThat(ledger).hasSize(MIGRATIONS);
        for (Map<String, Object> row : ledger) {
            String script = (String) row.get("script");
            assertThat(row.get("checksum")).as(script).isEqualTo(MigrationLedger.sha256(classpath("db/migration/" + script)));
            assertThat((Integer) row.get("execution_time_ms")).isNotNull().isGreaterThanOrEqualTo(0);
            assertThat((String) row.get("rollback_sql")).as(script)
                    .contains("DELETE FROM flyway_schema_history WHERE version = '" + row.get("version") + "'");
        }
    }

    @Test
    void reRunningIsANoOp() throws Exception {
        flyway().migrate();
        List<Map<String, Object>> history = rows(
                "SELECT installed_rank, version, checksum, installed_on FROM flyway_schema_history ORDER BY installed_rank");
        List<Map<String, Object>> ledger = rows("SELECT * FROM schema_migrations ORDER BY version");

        MigrateResult again = flyway().migrate();

        assertThat(again.migrationsExecuted).isZero();
        assertThat(rows("SELECT installed_rank, version, checksum, installed_on FROM flyway_schema_history ORDER BY installed_rank"))
                .isEqualTo(history);
        assertThat(rows("SELECT * FROM schema_migrations ORDER BY version")).isEqualTo(ledger);
    }

    @Test
    void brokenMigrationNamesTheFileAndTheSqlErrorAndChangesNothing() throws Exception {
        flyway().migrate();
        List<Map<String, Object>> history = rows("SELECT * FROM flyway_schema_history ORDER BY installed_rank");
        List<Map<String, Object>> ledger = rows("SELECT * FROM schema_migrations ORDER BY version");
        List<Map<String, Object>> tables = rows("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");

        assertThatThrownBy(() -> flyway("classpath:db/migration", "classpath:db/test-broken").migrate())
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("V100__broken.sql")
                .hasMessageContaining("relation \"no_such_table\" does not exist");

        assertThat(rows("SELECT * FROM flyway_schema_history ORDER BY installed_rank")).isEqualTo(history);
        assertThat(rows("SELECT * FROM schema_migrations ORDER BY version")).isEqualTo(ledger);
        assertThat(rows("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).isEqualTo(tables);
        assertThat(flyway().migrate().migrationsExecuted).isZero();
    }

    @Test
    void editedScriptIsRefusedByName() throws Exception {
        flyway().migrate();
        exec("UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = '3'");

        assertThatThrownBy(() -> flyway().migrate())
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("V3__persistent_storage.sql")
                .hasMessageContaining("changed after it was applied");
    }

    /** Repeated: the race between two first runs (create vs. baseline the history table) is a matter of timing. */
    @RepeatedTest(3)
    void twoMigrationsStartedAtOnceEndWithOneCorrectHistory() throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Callable<Integer> run = () -> {
            Flyway f = flyway();
            start.await(10, TimeUnit.SECONDS);
            return WharfFlyway.migrate(f).migrationsExecuted;
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> a = pool.submit(run);
            Future<Integer> b = pool.submit(run);
            assertThat(a.get(60, TimeUnit.SECONDS) + b.get(60, TimeUnit.SECONDS)).isEqualTo(MIGRATIONS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows(
                "SELECT version, count(*) AS n FROM flyway_schema_history WHERE success AND version::int > 0 GROUP BY version HAVING count(*) > 1"))
                .isEmpty();
        assertThat(rows("SELECT version FROM flyway_schema_history WHERE success AND version::int > 0")).hasSize(MIGRATIONS);
        assertThat(rows("SELECT version FROM schema_migrations")).hasSize(MIGRATIONS);
        assertThat(missingObjects()).isEmpty();
    }

    @Test
    void aStartWaitsWhileAnotherInstanceHoldsTheMigrationLockAndThenFindsTheSchemaReady() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection other = db.dataSource().getConnection(); Statement st = other.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + WharfFlyway.MIGRATE_LOCK + ")");
            Future<Integer> run = pool.submit(() -> WharfFlyway.migrate(flyway()).migrationsExecuted);

            Thread.sleep(1500);
            assertThat(run).isNotDone();
            assertThat(rows("SELECT to_regclass('flyway_schema_history') IS NULL AS absent")).containsExactly(Map.of("absent", true));

            st.execute("SELECT pg_advisory_unlock(" + WharfFlyway.MIGRATE_LOCK + ")");
            assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo(MIGRATIONS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows("SELECT count(*) AS held FROM pg_locks WHERE locktype = 'advisory' AND database = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database())")).containsExactly(Map.of("held", 0L));
    }

    @Test
    void everyRollbackScriptUndoesItsMigrationAndTheMigrationReApplies() throws Exception {
        flyway().migrate();
        Map<Integer, String> probes = Map.ofEntries(
                Map.entry(21, "SELECT 1 FROM pg_constraint WHERE conname = 'chk_s3_migration_log_lease' AND convalidated"),
                Map.entry(20, "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_s3_migration_log_owner_due'"),
                Map.entry(19, "SELECT 1 FROM information_schema.columns WHERE table_name = 's3_migration_log' AND column_name = 'claim_token'"),
                Map.entry(18, "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'ix_audit_logs_action')"),
                Map.entry(16, "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_s3_migration_log_migrated'"),
                Map.entry(17, "SELECT 1 FROM pg_class WHERE relname = 's3_migration_log' AND reloptions @> ARRAY['fillfactor=70']"),
                Map.entry(15, "SELECT 1 FROM information_schema.tables WHERE table_name = 's3_migration_counters'"),
                Map.entry(14, "SELECT 1 FROM pg_indexes WHERE indexname = 'uq_transactions_tenant_external'"),
                Map.entry(13, "SELECT 1 FROM information_schema.tables WHERE table_name = 'idempotency_keys'"),
                Map.entry(12,
                        "SELECT 1 FROM pg_constraint WHERE conname = 'chk_audit_logs_actor_type' AND pg_get_constraintdef(oid) LIKE '%''cli''%'"),
                Map.entry(11, "SELECT 1 FROM information_schema.columns WHERE table_name = 'audit_logs' AND column_name = 'actor_type'"),
                Map.entry(10, "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_audit_logs_created_id'"),
                Map.entry(9, "SELECT 1 FROM pg_class WHERE relname = 'idx_client_configs_data' AND reloptions @> ARRAY['fastupdate=off']"),
                Map.entry(8, "SELECT 1 FROM information_schema.columns WHERE table_name = 'client_configs' AND column_name = 'version'"),
                Map.entry(7, "SELECT 1 FROM information_schema.tables WHERE table_name = 'api_keys'"),
                Map.entry(6, "SELECT 1 FROM pg_indexes WHERE indexname = 'idx_files_related_entity'"),
                Map.entry(5,
                        "SELECT 1 FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'action_type_enum' AND e.enumlabel = 'bma_transaction'"),
                Map.entry(4, "SELECT 1 FROM information_schema.tables WHERE table_name = 'audit_logs'"),
                Map.entry(3, "SELECT 1 FROM information_schema.tables WHERE table_name = 'connector_profiles'"),
                Map.entry(2, "SELECT 1 FROM information_schema.views WHERE table_name = 's3_migration_progress'"),
                Map.entry(1, "SELECT 1 FROM pg_type WHERE typname = 'file_source'"));
        List<Integer> versions = Migrations.versions().stream().map(Integer::valueOf).toList();
        for (int i = versions.size() - 1; i >= 0; i--) {
            int version = versions.get(i);
            String probe = probes.get(version);
            assertThat(rows(probe)).as("V%d applied", version).hasSize(1);
            for (int undo = versions.size() - 1; undo >= i; undo--) {
                psql(rollbackScript(versions.get(undo)));
            }
            assertThat(rows(probe)).as("V%d rolled back", version).isEmpty();
            assertThat(rows("SELECT 1 FROM flyway_schema_history WHERE version::int >= " + version)).isEmpty();
            assertThat(rows("SELECT 1 FROM schema_migrations WHERE version::int >= " + version)).isEmpty();

            assertThat(flyway().migrate().migrationsExecuted).as("V%d and later re-applied", version)
                    .isEqualTo(versions.size() - i);
            assertThat(missingObjects()).isEmpty();
        }
    }

    private List<String> missingObjects() {
        SchemaContract contract = SchemaContract.load(new ObjectMapper());
        return contract.missingFrom(new SchemaRepository(Jdbc.of(db.dataSource())).catalog());
    }

    private Path rollbackScript(int version) throws Exception {
        Path dir = Path.of("src/main/resources/db/rollback");
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("U" + version + "__")).findFirst().orElseThrow();
        }
    }

    private void psql(Path script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.jdbcUrl().replace("jdbc:", ""),
                "-U", db.server().user(), "-f", script.toString()).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", db.server().password());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("psql -f %s: %s", script, out).isZero();
    }

    private void exec(String sql) {
        Sql.exec(db.dataSource(), sql);
    }

    private List<Map<String, Object>> rows(String sql) {
        return Sql.rows(db.dataSource(), sql);
    }

    private static byte[] classpath(String path) throws Exception {
        try (InputStream in = MigrationSystemTest.class.getClassLoader().getResourceAsStream(path)) {
            return in.readAllBytes();
        }
    }
}
