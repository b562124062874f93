package io.wharf.copy.queue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.wharf.audit.AuditService;
import io.wharf.common.Actor;
import io.wharf.common.db.SqlFailures;
import io.wharf.copy.Backoff;
import io.wharf.copy.CopyConfig;
import io.wharf.copy.CopyFailure;
import io.wharf.copy.Job;
import io.wharf.copy.LegacyColumn;
import io.wharf.copy.Outcome;
import io.wharf.storage.StorageConfig;
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
public class OutcomeWriter {

    static final UUID LEGACY_TENANT = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private static final Logger LOG = Logger.getLogger(OutcomeWriter.class);

    /** What applying did: the outcomes whose lease was lost, and objects copied for a source that changed meanwhile. */
    public record Applied(List<Outcome> leaseLost, List<String> orphanKeys) {
    }

    private final EntityManager em;
    private final AuditService audit;
    private final JobRepository jobs;
    private final SourceRows sources;
    private final String bucket;
    private final int maxAttempts;
    private final Backoff backoff;

    OutcomeWriter(EntityManager em, AuditService audit, JobRepository jobs, StorageConfig storage, CopyConfig config) {
        this.em = em;
        this.jobs = jobs;
        this.audit = audit;
        this.bucket = storage.bucket(); // from the settings: the store itself needs S3 credentials, which a worker must not need to start
        this.sources = new SourceRows(bucket);
        this.maxAttempts = config.maxAttempts();
        this.backoff = new Backoff(config.backoffBase(), config.backoffCap());
    }

    public Applied apply(String owner, List<Outcome> unordered) {
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
                if (SqlFailures.worthRetrying(e)) {
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
        held.addAll(jobs.migrated(c, owner, bucket, copied));
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
                JobRepository.unmigrate(c, o.job());
                if (!sources.recorded(c, o.key())) { // a key recorded by an earlier migration of this job is in use
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

    /**
     * Skipped jobs and failures: skipped, failed (permanent, or out of attempts) or back to pending after a backoff.
     * Answers the jobs whose lease was still this worker's.
     */
    private Set<UUID> end(Connection c, String owner, List<Outcome> ended) throws SQLException {
        List<JobRepository.Ending> endings = new ArrayList<>();
        for (Outcome o : ended) {
            if (o instanceof Outcome.Skipped s) {
                endings.add(new JobRepository.Ending(o, "skipped", "skipped", CopyFailure.clip(s.reason()), null));
            } else if (o instanceof Outcome.Failed f && (f.permanent() || o.job().attempts() >= maxAttempts)) {
                String message = f.permanent() ? f.message() : f.message() + " (gave up after " + o.job().attempts() + " attempts)";
                endings.add(new JobRepository.Ending(o, "failed", f.reason(), CopyFailure.clip(message), null));
            } else if (o instanceof Outcome.Failed f) {
                Duration d = backoff.delay(f.job().attempts(), f.retryAfter());
                String message = f.message() + " (attempt " + f.job().attempts() + " of " + maxAttempts + "; next in " + d.toSeconds() + " s)";
                endings.add(new JobRepository.Ending(o, "pending", f.reason(), CopyFailure.clip(message), d.toMillis() / 1000.0));
            }
        }
        return jobs.end(c, owner, endings);
    }
}
