package io.wharf.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.wharf.audit.AuditService;
import io.wharf.common.Actor;
import io.wharf.common.WharfConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Applies attempts' outcomes to the queue and to the rows the files belong to, a batch per transaction with a
 * handful of set-based statements whatever its size (one per kind of change, arrays unnested), so recording
 * keeps up with copies. Each outcome is applied only while the job's lease is still this worker's and of the
 * claim the attempt came from (owner and claim token, checked by the statement that ends the job): a worker
 * whose lease ran out drops its result, so no job is completed twice, and deletes the object it copied, which
 * is its claim's own. A migrated job writes, in the same transaction, the S3 URL into its source row (the S3 column, or the
 * same position of the S3 array) if that row still holds the legacy URL, one user_uploads row for the object
 * (its bucket and key are unique) and an audit row as Wharf's own; a files row becomes source 's3'. A batch
 * that fails is applied outcome by outcome, so one bad row cannot hold the others back.
 */
@ApplicationScoped
class Completions {

    static final UUID LEGACY_TENANT = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private static final Logger LOG = Logger.getLogger(Completions.class);

    /** What applying did: the outcomes whose lease was lost, and objects copied for a source that changed meanwhile. */
    record Applied(List<Outcome> leaseLost, List<String> orphanKeys) {
    }

    private final EntityManager em;
    private final AuditService audit;
    private final SourceRows sources;
    private final String bucket;
    private final int maxAttempts;
    private final Backoff backoff;

    Completions(EntityManager em, AuditService audit, WharfConfig config) {
        this.em = em;
        this.audit = audit;
        this.bucket = config.s3().bucket();
        this.sources = new SourceRows(bucket);
        this.maxAttempts = config.migration().maxAttempts();
        this.backoff = new Backoff(config.migration().backoffBase(), config.migration().backoffCap());
    }

    Applied apply(String owner, List<Outcome> unordered) {
        // one order for every worker, so that two batches touching the same rows cannot deadlock
        List<Outcome> outcomes = new ArrayList<>(unordered);
        outcomes.sort(Comparator.comparing((Outcome o) -> o.job().table()).thenComparing(o -> String.valueOf(o.job().recordId()))
                .thenComparing(o -> o.job().id()));
        List<Outcome> lost = new ArrayList<>();
        List<String> orphans = new ArrayList<>();
        try {
            inTransaction(c -> applyAll(c, owner, outcomes, lost, orphans));
            return new Applied(lost, orphans);
        } catch (RuntimeException batch) {
            if (outcomes.size() == 1) {
                throw batch;
            }
            LOG.warnf("Applying %d migration outcomes together failed (%s); applying them one by one", outcomes.size(), batch.toString());
        }
        lost.clear();
        orphans.clear();
        for (Outcome o : outcomes) {
            try {
                inTransaction(c -> applyAll(c, owner, List.of(o), lost, orphans));
            } catch (RuntimeException e) {
                if (transientFailure(e)) {
                    // left as it is: its lease runs out and the job is tried again (this copy is then a leftover the sweep removes)
                    LOG.warnf("Migration job %s could not be recorded for now (%s); it is tried again once its lease expires", o.job().id(),
                            e.toString());
                    continue;
                }
                LOG.errorf(e, "Migration job %s could not be recorded", o.job().id());
                Outcome failed = new Outcome.Failed(o.job(), "internal", "Wharf could not record the result: " + e.getClass().getSimpleName(), true,
                        null);
                try {
                    inTransaction(c -> applyAll(c, owner, List.of(failed), lost, orphans));
                    if (o instanceof Outcome.Copied c) {
                        orphans.add(c.key());
                    }
                } catch (RuntimeException again) {
                    LOG.warnf("Migration job %s could not be marked failed either (%s); its lease expires", o.job().id(), again.toString());
                }
            }
        }
        return new Applied(lost, orphans);
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    /**
     * A source row held by a long transaction elsewhere must not stall this worker: with a bounded lock wait such a
     * batch fails, and its jobs are applied one by one (the blocked one waits for its lease instead).
     */
    private void inTransaction(Work work) {
        QuarkusTransaction.requiringNew().run(() -> em.unwrap(Session.class).doWork(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL lock_timeout = '2s'");
            }
            work.run(c);
        }));
    }

    /** Deadlocks, serialization failures, lock timeouts and lost connections: recording may succeed later. */
    static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("40") || state.equals("55P03") || state.equals("57014") || state.startsWith("57P")) {
                    return true;
                }
            }
            if (t instanceof org.hibernate.exception.JDBCConnectionException || t instanceof org.hibernate.exception.LockAcquisitionException) {
                return true;
            }
        }
        return false;
    }

    private void applyAll(Connection c, String owner, List<Outcome> outcomes, List<Outcome> lost, List<String> orphans) throws SQLException {
        List<Outcome.Copied> copied = new ArrayList<>();
        List<Outcome> ended = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o instanceof Outcome.Copied cp) {
                copied.add(cp);
            } else {
                ended.add(o);
            }
        }
        Set<UUID> held = end(c, owner, ended);
        held.addAll(migrated(c, owner, copied));
        for (Outcome o : outcomes) {
            if (!held.contains(o.job().id())) {
                lost.add(o);
                if (o instanceof Outcome.Copied cp) { // its claim's own key: no other attempt wrote or recorded it
                    orphans.add(cp.key());
                }
            }
        }
        List<Outcome.Copied> mine = copied.stream().filter(o -> held.contains(o.job().id())).toList();
        if (mine.isEmpty()) {
            return;
        }
        Map<UUID, SourceRows.Source> written = sources.write(c, mine);
        List<Outcome.Copied> recorded = new ArrayList<>();
        List<AuditService.Change> changes = new ArrayList<>();
        for (Outcome.Copied o : mine) {
            SourceRows.Source source = written.get(o.job().id());
            if (source == null) {
                unmigrate(c, o.job());
                if (!recorded(c, o.key())) { // a key recorded by an earlier migration of this job is in use
                    orphans.add(o.key());
                }
                continue;
            }
            recorded.add(o);
            changes.add(new AuditService.Change(source.tenant(), source.resourceType(), source.resourceId(),
                    Map.of(o.job().sourceColumn() == null ? "url" : o.job().sourceColumn(), o.job().oldUrl()), Map.of(target(o.job()), o.url())));
        }
        sources.recordUploads(c, recorded, written);
        audit.recordAll(Actor.SYSTEM, "migrate_to_s3", changes);
    }

    private static String target(Job job) {
        LegacyColumn col = job.column();
        return col == null || col.s3Column == null ? "s3_key" : col.s3Column;
    }

    /** Marks copied jobs migrated; answers those whose lease was still this worker's. */
    private Set<UUID> migrated(Connection c, String owner, List<Outcome.Copied> copied) throws SQLException {
        if (copied.isEmpty()) {
            return new HashSet<>();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE s3_migration_log j SET migration_status = 'migrated', new_s3_url = v.url, "
                + "s3_bucket = ?, s3_key = v.key, file_size = v.bytes, checksum_sha256 = v.sha, content_type = v.ctype, migrated_at = now(), "
                + "error_message = NULL, failure_reason = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now() "
                + "FROM unnest(?::uuid[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::text[], ?::uuid[]) AS v(id, url, key, bytes, sha, ctype, token) "
                + "WHERE j.id = v.id AND j.lease_owner = ? AND j.claim_token = v.token AND j.migration_status = 'pending' RETURNING j.id")) {
            ps.setString(1, bucket);
            ps.setArray(2, SourceRows.array(c, "uuid", copied, o -> o.job().id()));
            ps.setArray(3, SourceRows.array(c, "text", copied, Outcome.Copied::url));
            ps.setArray(4, SourceRows.array(c, "text", copied, Outcome.Copied::key));
            ps.setArray(5, SourceRows.array(c, "int8", copied, Outcome.Copied::bytes));
            ps.setArray(6, SourceRows.array(c, "text", copied, Outcome.Copied::sha256Hex));
            ps.setArray(7, SourceRows.array(c, "text", copied, Outcome.Copied::contentType));
            ps.setArray(8, SourceRows.array(c, "uuid", copied, o -> o.job().token()));
            ps.setString(9, owner);
            return ids(ps);
        }
    }

    /**
     * Skipped jobs and failures in one statement: skipped, failed (permanent, or out of attempts) or back to
     * pending after a backoff. Answers the jobs whose lease was still this worker's.
     */
    private Set<UUID> end(Connection c, String owner, List<Outcome> ended) throws SQLException {
        if (ended.isEmpty()) {
            return new HashSet<>();
        }
        int n = ended.size();
        String[] status = new String[n];
        String[] reason = new String[n];
        String[] message = new String[n];
        Double[] delay = new Double[n];
        for (int i = 0; i < n; i++) {
            Outcome o = ended.get(i);
            if (o instanceof Outcome.Skipped s) {
                status[i] = "skipped";
                reason[i] = "skipped";
                message[i] = s.reason();
            } else if (o instanceof Outcome.Failed f && (f.permanent() || o.job().attempts() >= maxAttempts)) {
                status[i] = "failed";
                reason[i] = f.reason();
                message[i] = f.permanent() ? f.message() : f.message() + " (gave up after " + o.job().attempts() + " attempts)";
            } else if (o instanceof Outcome.Failed f) {
                java.time.Duration d = backoff.delay(f.job().attempts(), f.retryAfter());
                status[i] = "pending";
                reason[i] = f.reason();
                message[i] = f.message() + " (attempt " + f.job().attempts() + " of " + maxAttempts + "; next in " + d.toSeconds() + " s)";
                delay[i] = d.toMillis() / 1000.0;
            }
            message[i] = Keys.clip(message[i]);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE s3_migration_log j SET migration_status = v.status, failure_reason = v.reason, "
                + "error_message = v.message, next_attempt_at = CASE WHEN v.delay IS NULL THEN j.next_attempt_at "
                + "ELSE now() + make_interval(secs => v.delay) END, lease_owner = NULL, lease_expires_at = NULL, updated_at = now() "
                + "FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::float8[], ?::uuid[]) AS v(id, status, reason, message, delay, token) "
                + "WHERE j.id = v.id AND j.lease_owner = ? AND j.claim_token = v.token AND j.migration_status = 'pending' RETURNING j.id")) {
            ps.setArray(1, SourceRows.array(c, "uuid", ended, o -> o.job().id()));
            ps.setArray(2, c.createArrayOf("text", status));
            ps.setArray(3, c.createArrayOf("text", reason));
            ps.setArray(4, c.createArrayOf("text", message));
            ps.setArray(5, c.createArrayOf("float8", delay));
            ps.setArray(6, SourceRows.array(c, "uuid", ended, o -> o.job().token()));
            ps.setString(7, owner);
            return ids(ps);
        }
    }

    /** A job just marked migrated whose source row no longer holds its URL: skipped, in the same transaction. */
    private static void unmigrate(Connection c, Job job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE s3_migration_log SET migration_status = 'skipped', failure_reason = 'changed_source', "
                + "error_message = ?, new_s3_url = NULL, migrated_at = NULL, updated_at = now() WHERE id = ? AND migration_status = 'migrated'")) {
            ps.setString(1, "The " + job.table() + " row no longer holds this URL, or its S3 URL was set meanwhile (changed after the scan); "
                    + "the copy was discarded");
            ps.setObject(2, job.id());
            ps.executeUpdate();
        }
    }

    private boolean recorded(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM user_uploads WHERE s3_bucket = ? AND s3_key = ?")) {
            ps.setString(1, bucket);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Set<UUID> ids(PreparedStatement ps) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }
}
