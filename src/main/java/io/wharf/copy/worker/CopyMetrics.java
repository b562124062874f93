package io.wharf.copy.worker;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wharf.copy.Outcome;
import io.wharf.copy.queue.OutcomeWriter;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Micrometer meters of the migration: files and bytes copied, failures by reason, jobs deferred by an outage,
 * leases taken over and lost, copy latency, and the queue depth (pending jobs, as the counters last said). The
 * circuits' gauges are {@link Circuits}'.
 */
@ApplicationScoped
public class CopyMetrics {

    private final MeterRegistry registry;
    private final Counter files;
    private final Counter bytes;
    private final Counter skipped;
    private final Counter takeovers;
    private final Counter leasesLost;
    private final Timer latency;
    private final AtomicLong pending = new AtomicLong();

    public CopyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.files = Counter.builder("wharf.migration.files.copied").description("Legacy files copied to S3 and recorded").register(registry);
        this.bytes = Counter.builder("wharf.migration.bytes.copied").baseUnit("bytes").description("Bytes of legacy files copied").register(registry);
        this.skipped = Counter.builder("wharf.migration.files.skipped").description("Jobs skipped (already in the bucket, source changed)")
                .register(registry);
        this.takeovers = Counter.builder("wharf.migration.lease.takeovers").description("Jobs claimed after another worker's lease expired")
                .register(registry);
        this.leasesLost = Counter.builder("wharf.migration.lease.lost").description("Results dropped because the lease had passed on")
                .register(registry);
        this.latency = Timer.builder("wharf.migration.copy").description("Time to fetch a legacy file and store it in S3").register(registry);
        registry.gauge("wharf.migration.queue.pending", pending);
    }

    public void copied(Outcome o, long nanos) {
        if (o instanceof Outcome.Copied) {
            latency.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    public void applied(List<Outcome> outcomes, OutcomeWriter.Applied applied) {
        Set<Outcome> lost = Collections.newSetFromMap(new IdentityHashMap<>());
        lost.addAll(applied.leaseLost());
        for (Outcome o : outcomes) {
            if (lost.contains(o)) {
                continue;
            }
            if (o instanceof Outcome.Copied c) {
                files.increment();
                bytes.increment(c.bytes());
            } else if (o instanceof Outcome.Skipped) {
                skipped.increment();
            } else if (o instanceof Outcome.Failed f) {
                registry.counter("wharf.migration.failures", "reason", f.reason(), "permanent", Boolean.toString(f.permanent())).increment();
            }
        }
    }

    /** A job went back to the queue untried, its attempt not counted, because of an outage or a busy origin. */
    public void deferred(String reason) {
        registry.counter("wharf.migration.deferred", "reason", reason).increment();
    }

    public void takeover() {
        takeovers.increment();
    }

    public void leaseLost() {
        leasesLost.increment();
    }

    public void pending(long jobs) {
        pending.set(jobs);
    }
}
