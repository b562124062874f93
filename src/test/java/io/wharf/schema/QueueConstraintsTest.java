package io.wharf.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.wharf.testing.Sql;
import io.wharf.testing.TestDatabases;

/**
 * V21's CHECK constraints on s3_migration_log: each refuses the row that breaks it, and the migration runs over a
 * queue that already holds rows written by hand or by older versions, repairing what it can without losing it.
 */
class QueueConstraintsTest {

    private static final List<String> CONSTRAINTS = List.of("chk_s3_migration_log_lease", "chk_s3_migration_log_lease_token",
            "chk_s3_migration_log_lease_pending", "chk_s3_migration_log_failure_reason");
    private static final String INSERT = "INSERT INTO s3_migration_log (id, table_name, record_id, source_column, old_url, migration_status, "
            + "failure_reason, lease_owner, lease_expires_at, claim_token, next_attempt_at) VALUES (?, 'business_profiles', gen_random_uuid(), "
            + "'avatar_url', 'https://old.example/' || gen_random_uuid(), ?, ?, ?, ";

    private TestDatabases.Db db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabases.create("wharf_checks");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private Flyway flyway(String target) {
        return WharfFlyway.apply(Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").target(target)).load();
    }

    /** A job; {@code expires} and {@code next} are SQL expressions. */
    private UUID job(String status, String reason, String owner, String expires, UUID token, String next) {
        UUID id = UUID.randomUUID();
        Sql.exec(db.dataSource(), INSERT + expires + ", ?, " + next + ")", id, status, reason, owner, token);
        return id;
    }

    private Map<String, Object> row(UUID id) {
        return Sql.rows(db.dataSource(), "SELECT migration_status, failure_reason, lease_owner, lease_expires_at, claim_token, next_attempt_at, "
                + "lease_expires_at <= now() AS expired FROM s3_migration_log WHERE id = ?", id).get(0);
    }

    private Map<String, Boolean> validity() {
        return Sql
                .rows(db.dataSource(), "SELECT conname, convalidated FROM pg_constraint WHERE conname = ANY(?)",
                        (Object) CONSTRAINTS.toArray(String[]::new))
                .stream().collect(Collectors.toMap(r -> (String) r.get("conname"), r -> (Boolean) r.get("convalidated")));
    }

    private List<Map<String, Object>> counts() {
        return Sql.rows(db.dataSource(), "SELECT table_name, migration_status, sum(jobs) AS jobs FROM (SELECT table_name, migration_status, jobs "
                + "FROM s3_migration_counters UNION ALL SELECT table_name, migration_status, jobs FROM s3_migration_counter_deltas) c "
                + "GROUP BY 1, 2 ORDER BY 1, 2");
    }

    @Test
    void aRowThatBreaksAConstraintIsRefused() {
        flyway("latest").migrate();
        assertThat(validity()).containsOnlyKeys(CONSTRAINTS).allSatisfy((name, valid) -> assertThat(valid).as(name).isTrue());
        UUID token = UUID.randomUUID();
        Map<String, Runnable> broken = Map.of(
                "chk_s3_migration_log_lease", () -> job("pending", null, "worker-1", "NULL", token, "now()"),
                "chk_s3_migration_log_lease_token", () -> job("pending", null, "worker-1", "now() + interval '1 minute'", null, "now()"),
                "chk_s3_migration_log_lease_pending", () -> job("failed", "timeout", "worker-1", "now() + interval '1 minute'", token, "now()"),
                "chk_s3_migration_log_failure_reason", () -> job("failed", "no_such_reason", null, "NULL", null, "now()"));
        broken.forEach((constraint, write) -> assertThatThrownBy(write::run).as(constraint).hasMessageContaining("violates check constraint")
                .hasMessageContaining("\"" + constraint + "\""));
        assertThatThrownBy(() -> job("pending", null, null, "now() + interval '1 minute'", null, "now()")).as("an expiry without an owner")
                .hasMessageContaining("chk_s3_migration_log_lease");

        // what the queue writes passes: free, leased with its token, and each known reason
        job("pending", null, null, "NULL", null, "now()");
        job("pending", "timeout", "worker-1", "now() + interval '1 minute'", token, "now()");
        for (String reason : List.of("changed_source", "connection", "gave_up", "host_unreachable", "http_status", "internal", "interrupted",
                "lease_lost", "malformed_response", "malformed_url", "not_found", "redirects", "refused_address", "s3", "s3_slow_down",
                "s3_unavailable", "skipped", "timeout", "too_large", "too_slow", "truncated", "verify_mismatch")) {
            job("failed", reason, null, "NULL", null, "now()");
        }
    }

    @Test
    void theMigrationRepairsOldRowsWithoutLosingWhatTheQueueMadeOfThem() {
        flyway("20").migrate();
        UUID token = UUID.randomUUID();
        UUID ownerOnly = job("pending", "timeout", "worker-1", "NULL", token, "now()");
        UUID expiryOnly = job("pending", null, null, "now() + interval '1 hour'", null, "now() - interval '1 minute'");
        UUID finishedLeased = job("failed", "not_found", "worker-2", "now() + interval '1 hour'", token, "now()");
        UUID beforeTokens = job("pending", null, "worker-3", "now() + interval '1 hour'", null, "now()");
        UUID held = job("pending", null, "worker-4", "now() + interval '1 hour'", token, "now()");
        UUID oldReason = job("failed", "interrupted", null, "NULL", null, "now()");
        List<Map<String, Object>> countsBefore = counts();
        Map<String, Object> heldBefore = row(held);

        flyway("latest").migrate();

        assertThat(validity()).containsOnlyKeys(CONSTRAINTS).allSatisfy((name, valid) -> assertThat(valid).as(name).isTrue());
        assertThat(row(ownerOnly)).as("an owner without an expiry was free to claim: now an expired lease")
                .containsEntry("lease_owner", "worker-1").containsEntry("expired", true).containsEntry("claim_token", token);
        Map<String, Object> waited = row(expiryOnly);
        assertThat(waited).as("not claimable before the old expiry: now its next attempt").containsEntry("lease_owner", null)
                .containsEntry("lease_expires_at", null);
        assertThat(Sql.scalar(db.dataSource(), "SELECT next_attempt_at > now() + interval '59 minutes' FROM s3_migration_log WHERE id = ?",
                expiryOnly)).isEqualTo(true);
        assertThat(row(finishedLeased)).containsEntry("migration_status", "failed").containsEntry("failure_reason", "not_found")
                .containsEntry("lease_owner", null).containsEntry("lease_expires_at", null);
        Map<String, Object> tokened = row(beforeTokens);
        assertThat(tokened).containsEntry("lease_owner", "worker-3").containsEntry("expired", false);
        assertThat(tokened.get("claim_token")).isNotNull();
        assertThat(row(held)).as("a valid lease is left alone").isEqualTo(heldBefore);
        assertThat(row(oldReason)).containsEntry("failure_reason", "interrupted");
        assertThat(counts()).as("no job changed status").isEqualTo(countsBefore);
    }

    @Test
    void anUnknownReasonIsKeptAndLeavesOnlyItsConstraintNotValid() {
        flyway("20").migrate();
        UUID odd = job("failed", "made_up_by_hand", null, "NULL", null, "now()");
        UUID leased = job("failed", "made_up_by_hand", "worker-1", "now() + interval '1 hour'", UUID.randomUUID(), "now()");

        flyway("latest").migrate();

        assertThat(validity()).containsEntry("chk_s3_migration_log_failure_reason", false).containsEntry("chk_s3_migration_log_lease", true)
                .containsEntry("chk_s3_migration_log_lease_token", true).containsEntry("chk_s3_migration_log_lease_pending", true);
        assertThat(row(odd)).containsEntry("failure_reason", "made_up_by_hand");
        assertThat(row(leased)).containsEntry("failure_reason", "made_up_by_hand").containsEntry("lease_owner", null);
        assertThatThrownBy(() -> job("failed", "made_up_by_hand", null, "NULL", null, "now()")).as("new rows are checked")
                .hasMessageContaining("chk_s3_migration_log_failure_reason");
    }
}
