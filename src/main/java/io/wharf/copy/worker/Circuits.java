package io.wharf.copy.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.wharf.copy.CopyConfig;
import io.wharf.storage.StorageConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Outages cost no job. S3 that cannot be reached or answers 5xx opens the S3 circuit: no copy starts on this
 * instance, the jobs held go back untried, and a HEAD of the bucket probes at growing intervals (probe-every,
 * doubled up to probe-cap) until S3 answers, which closes the circuit and wakes the worker. A legacy origin
 * that takes no connection opens its own circuit: its jobs go back due when the next probe is, untried, while
 * other origins' jobs go on; once the interval has passed one job is let through as the probe, and its
 * success closes the circuit. Neither spends an attempt of any job. At most {@link #MAX_HOSTS} origin circuits
 * are kept (the oldest are forgotten), so millions of dead hosts cannot grow the state.
 */
@ApplicationScoped
public class Circuits {

    static final int MAX_HOSTS = 10_000;
    private static final Logger LOG = Logger.getLogger(Circuits.class);

    /** The circuits of this instance as progress shows them: S3's ("open" or "closed") and how many legacy origins' are open. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record State(String s3, @JsonProperty("s3_opened_at") Instant s3OpenedAt, @JsonProperty("s3_last_error") String s3LastError,
            @JsonProperty("s3_next_probe_at") Instant s3NextProbeAt, @JsonProperty("legacy_hosts_open") int legacyHostsOpen) {
    }

    private static final class Host {
        final long openedAt = System.nanoTime();
        long openUntil;
        long intervalNanos;
        boolean probing;
    }

    private final S3Client s3;
    private final String bucket;
    private final long firstNanos;
    private final long capNanos;
    private final long maxDeferNanos;
    private final List<Runnable> onS3Closed = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wharf-copy-s3-probe");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Host> hosts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Host> eldest) {
            return size() > MAX_HOSTS;
        }
    };
    private Instant s3OpenedAt; // null: closed
    private String s3Error;
    private Instant s3NextProbe;
    private long s3IntervalNanos;

    public Circuits(S3Client s3, StorageConfig storage, CopyConfig config, MeterRegistry registry) {
        this.s3 = s3;
        this.bucket = storage.bucket(); // from the settings: the store itself needs S3 credentials, which a worker must not need to start
        this.firstNanos = Math.max(1, config.probeEvery().toNanos());
        this.capNanos = Math.max(firstNanos, config.probeCap().toNanos());
        this.maxDeferNanos = Math.max(capNanos, config.backoffCap().toNanos());
        registry.gauge("wharf.migration.s3.circuit.open", this, c -> c.s3Open() ? 1 : 0);
        registry.gauge("wharf.migration.legacy.circuits.open", this, Circuits::hostsOpen);
    }

    public void onS3Closed(Runnable r) {
        onS3Closed.add(r);
    }

    public synchronized boolean s3Open() {
        return s3OpenedAt != null;
    }

    /** S3 failed a copy (unreachable or 5xx): copying pauses until a probe finds it answering. */
    public synchronized void s3Failed(String error) {
        s3Error = error;
        if (s3OpenedAt == null) {
            s3OpenedAt = Instant.now();
            s3IntervalNanos = firstNanos;
            LOG.warnf("S3 failed a migration copy (%s): copying pauses, without spending attempts, until S3 answers again", error);
            scheduleProbe();
        }
    }

    private void scheduleProbe() {
        s3NextProbe = Instant.now().plusNanos(s3IntervalNanos);
        prober.schedule(this::probe, s3IntervalNanos, TimeUnit.NANOSECONDS);
    }

    private void probe() {
        boolean up;
        try {
            s3.headBucket(b -> b.bucket(bucket));
            up = true;
        } catch (AwsServiceException e) {
            up = e.statusCode() < 500; // S3 answers, if only to refuse: it is reachable
        } catch (SdkException | IllegalStateException e) {
            up = false;
        }
        synchronized (this) {
            if (!up) {
                s3IntervalNanos = Math.min(capNanos, s3IntervalNanos * 2);
                scheduleProbe();
                return;
            }
            LOG.infof("S3 answers again after %d s; the migration resumes", Duration.between(s3OpenedAt, Instant.now()).toSeconds());
            s3OpenedAt = null;
            s3NextProbe = null;
        }
        onS3Closed.forEach(Runnable::run);
    }

    /**
     * Whether a job of this origin must wait: its circuit is open, or a probe of it is running. Once the interval
     * has passed, the first caller is let through as the probe.
     */
    public synchronized boolean hostShut(String origin) {
        Host h = origin == null ? null : hosts.get(origin);
        if (h == null) {
            return false;
        }
        if (h.probing || System.nanoTime() < h.openUntil) {
            return true;
        }
        h.probing = true;
        return false;
    }

    /**
     * When a job of a shut origin is due again: not before its next probe, and later the longer the outage has
     * lasted (up to backoff-cap), so that a tenant's many jobs on a dead host do not cycle through the queue.
     */
    public synchronized Duration hostRetryIn(String origin) {
        Host h = hosts.get(origin);
        long now = System.nanoTime();
        long nanos = h == null ? firstNanos
                : Math.max(h.openUntil - now, Math.min(maxDeferNanos, Math.max(h.intervalNanos, now - h.openedAt)));
        return Duration.ofNanos(nanos + ThreadLocalRandom.current().nextLong(nanos / 4 + 1));
    }

    /** No connection could be made to the origin: its circuit opens, or stays open for twice as long. */
    public synchronized void hostFailed(String origin, String error) {
        if (origin == null) {
            return;
        }
        Host h = hosts.get(origin);
        if (h == null) {
            h = new Host();
            h.intervalNanos = firstNanos;
            hosts.put(origin, h);
            LOG.warnf("Legacy origin %s takes no connection (%s): its jobs wait, without spending attempts, until it does", origin, error);
        } else if (h.probing) {
            h.intervalNanos = Math.min(capNanos, h.intervalNanos * 2);
        }
        h.probing = false;
        h.openUntil = System.nanoTime() + h.intervalNanos;
    }

    /** The origin took a connection: its circuit, if any, closes. */
    public synchronized void hostOk(String origin) {
        if (origin != null && !hosts.isEmpty() && hosts.remove(origin) != null) {
            LOG.infof("Legacy origin %s takes connections again", origin);
        }
    }

    /** A probe let through did not run after all (a pause, shutdown): the next job probes instead. */
    public synchronized void hostUntried(String origin) {
        Host h = origin == null ? null : hosts.get(origin);
        if (h != null) {
            h.probing = false;
        }
    }

    public synchronized int hostsOpen() {
        return hosts.size();
    }

    public synchronized State state() {
        return new State(s3OpenedAt == null ? "closed" : "open", s3OpenedAt, s3OpenedAt == null ? null : s3Error, s3NextProbe, hosts.size());
    }

    @PreDestroy
    public void close() {
        prober.shutdownNow();
    }
}
