package io.wharf.copy.api;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.wharf.copy.CopyConfig;
import io.wharf.copy.queue.CopyControl;
import io.wharf.copy.queue.JobRepository;
import io.wharf.copy.worker.Circuits;
import io.wharf.copy.worker.CopyMetrics;
import io.wharf.copy.worker.CopyWorker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Where the migration stands, from counters and samples rather than from the queue, so that it costs the same
 * at ten million jobs as at ten. Also keeps the counters folded and this instance's heartbeat fresh.
 */
@ApplicationScoped
public class ProgressService {

    static final long ALIVE_SECONDS = 30;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Progress(Map<String, Map<String, Tally>> tables, Map<String, Tally> totals, @JsonProperty("last_minute") Rate lastMinute,
            @JsonProperty("last_hour") Rate lastHour,
            @JsonProperty("eta_seconds") Long etaSeconds, @JsonProperty("oldest_pending_age_seconds") Long oldestPendingAgeSeconds,
            @JsonProperty("workers_alive") int workersAlive, List<ProgressRepository.Worker> workers, boolean paused, Circuits.State circuits) {
    }

    public record Tally(long jobs, long bytes) {
    }

    public record Rate(@JsonProperty("files_per_second") double filesPerSecond, @JsonProperty("bytes_per_second") double bytesPerSecond) {
    }

    private final ProgressRepository repository;
    private final JobRepository jobs;
    private final CopyControl control;
    private final CopyWorker worker;
    private final CopyMetrics metrics;
    private final Circuits circuits;
    private final boolean draining;
    private static final Logger LOG = Logger.getLogger(ProgressService.class);

    ProgressService(ProgressRepository repository, JobRepository jobs, CopyControl control, CopyWorker worker, CopyMetrics metrics, Circuits circuits,
            CopyConfig config) {
        this.circuits = circuits;
        this.draining = config.enabled();
        this.repository = repository;
        this.jobs = jobs;
        this.control = control;
        this.worker = worker;
        this.metrics = metrics;
    }

    public Progress progress() {
        Map<String, Map<String, Tally>> tables = new LinkedHashMap<>();
        Map<String, Tally> totals = new LinkedHashMap<>();
        for (String status : List.of("pending", "migrated", "failed", "skipped")) {
            totals.put(status, new Tally(0, 0));
        }
        for (ProgressRepository.Count c : repository.counts()) {
            tables.computeIfAbsent(c.table(), t -> new LinkedHashMap<>()).put(c.status(), new Tally(c.jobs(), c.bytes()));
            totals.merge(c.status(), new Tally(c.jobs(), c.bytes()), (a, b) -> new Tally(a.jobs() + b.jobs(), a.bytes() + b.bytes()));
        }
        OffsetDateTime now = repository.now();
        Tally migrated = totals.get("migrated");
        Rate minute = rate(repository.sampleBefore(60), migrated, now);
        Rate hour = rate(repository.sampleBefore(3600), migrated, now);
        long pending = totals.get("pending").jobs();
        Rate forEta = minute != null && minute.filesPerSecond() > 0 ? minute : hour;
        Long eta = pending == 0 ? Long.valueOf(0)
                : forEta == null || forEta.filesPerSecond() <= 0 ? null : (long) Math.ceil(pending / forEta.filesPerSecond());
        OffsetDateTime oldest = jobs.oldestPending();
        List<ProgressRepository.Worker> workers = repository.workers(ALIVE_SECONDS);
        metrics.pending(pending);
        return new Progress(tables, totals, minute, hour, eta, oldest == null ? null : Duration.between(oldest, now).toSeconds(), workers.size(),
                workers, control.paused(), circuits.state());
    }

    private static Rate rate(ProgressRepository.Sample since, Tally now, OffsetDateTime at) {
        if (since == null) {
            return null;
        }
        double seconds = Duration.between(since.at(), at).toMillis() / 1000.0;
        if (seconds < 1) {
            return null;
        }
        return new Rate(Math.max(0, (now.jobs() - since.jobs()) / seconds), Math.max(0, (now.bytes() - since.bytes()) / seconds));
    }

    @Scheduled(every = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void fold() {
        try {
            repository.fold();
            // the queue-depth gauge follows the counters even where nobody asks for progress
            metrics.pending(repository.counts().stream().filter(c -> c.status().equals("pending")).mapToLong(ProgressRepository.Count::jobs).sum());
        } catch (RuntimeException e) {
            LOG.debugf("Folding migration counters failed (%s); the next run folds what is left", e.toString());
        }
    }

    /** Only instances that drain announce themselves as workers. */
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void heartbeat() {
        if (!draining) {
            return;
        }
        try {
            repository.heartbeat(worker.owner(), worker.owner().split(":", 2)[0], worker.inFlight());
        } catch (RuntimeException e) {
            LOG.debugf("Migration heartbeat failed (%s)", e.toString());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (draining) {
            try {
                repository.gone(worker.owner());
            } catch (RuntimeException e) {
                // its heartbeat simply ages out
            }
        }
    }
}
