package io.wharf.copy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.wharf.common.work.JobConfig;

/**
 * The copy of legacy files into S3 (draining s3_migration_log), under wharf.copy.*. The keys were
 * wharf.migration.* before; those still work ({@link OldCopyKeys}).
 */
@ConfigMapping(prefix = "wharf.copy")
public interface CopyConfig extends JobConfig {
    /** Off: this instance claims no jobs (the admin API still works). */
    @Override
    @WithDefault("true")
    boolean enabled();

    /** Jobs claimed per transaction. */
    @Override
    @WithDefault("50")
    int batchSize();

    /** Shutdown stops claiming, lets copies in flight finish this long, then releases what is left. */
    @Override
    @WithDefault("20s")
    Duration shutdownGrace();

    /** How often an idle worker looks for due jobs; new jobs wake it at once (LISTEN/NOTIFY). */
    @WithDefault("5s")
    Duration pollEvery();

    /** Threads that record outcomes (each a transaction at a time, many outcomes each), so recording can use several database cores. */
    @WithDefault("2")
    int recorders();

    /** Copies at once on this instance. */
    @WithDefault("8")
    int concurrency();

    /** Copies at once from one legacy origin (host and port), so the old server is not overwhelmed. */
    @WithDefault("4")
    int perHostConcurrency();

    /** Files started per second on this instance; 0: no limit. */
    @WithDefault("0")
    double maxFilesPerSecond();

    /** Bytes read per second on this instance; 0: no limit. */
    @WithDefault("0")
    @WithConverter(MemorySizeConverter.class)
    MemorySize maxBytesPerSecond();

    /** Attempts before a job that keeps failing for transient reasons is failed. */
    @WithDefault("5")
    int maxAttempts();

    /** First retry delay; doubled per attempt up to backoff-cap, with jitter. */
    @WithDefault("2s")
    Duration backoffBase();

    @WithDefault("10m")
    Duration backoffCap();

    /** A claimed job is this worker's until the lease expires (on the database clock); renewed while it works. */
    @WithDefault("60s")
    Duration lease();

    /** How often the leases of copies in flight are extended; well inside the lease. */
    @WithDefault("15s")
    Duration renewEvery();

    /** Legacy files larger than this fail at once. */
    @WithDefault("5G")
    @WithConverter(MemorySizeConverter.class)
    MemorySize maxFileSize();

    /** Bodies larger than one part (or of unknown size) go to S3 as a multipart upload of such parts; memory is two parts per copy (one sent while the next is read). */
    @WithDefault("8M")
    @WithConverter(MemorySizeConverter.class)
    MemorySize partSize();

    /** Connecting to the legacy server and receiving its headers. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** The longest the body may stall (no byte arriving) before the attempt is given up. */
    @WithDefault("30s")
    Duration stallTimeout();

    /**
     * How long a connection to a legacy host stays open for the next file (at most per-host-concurrency per
     * host); 0 opens a new connection for every file.
     */
    @WithDefault("4s")
    Duration keepAlive();

    /** Time every attempt has before min-rate applies (connecting, a slow start), so small files never race a clock. */
    @WithDefault("60s")
    Duration attemptAllowance();

    /**
     * Bytes per second an attempt must average after the allowance (so a body of length L must be done within
     * attempt-allowance + L / min-rate): a trickling origin cannot hold a copy slot for weeks. 0: no pace.
     */
    @WithDefault("16K")
    @WithConverter(MemorySizeConverter.class)
    MemorySize minRate();

    /** First probe after S3 or a legacy origin failed to connect; outages are probed instead of spending jobs' attempts. */
    @WithDefault("1s")
    Duration probeEvery();

    /** The probe interval doubles while the outage lasts, up to this, so a long outage costs few probes. */
    @WithDefault("1m")
    Duration probeCap();

    /**
     * Legacy hosts that the scan's jobs may fetch from even though they resolve to internal addresses (the old
     * file server), as {@code host}, {@code host:port} or {@code host:*}; without a port only wharf.outbound.allowed-ports.
     * Never applies to a tenant's URL nor to a redirect reached from one.
     */
    Optional<List<String>> allowedHosts();

    /** Objects of migrated files go under this prefix of the bucket. */
    @WithDefault("legacy")
    String keyPrefix();

    /** Rows the scan reads per transaction. */
    @WithDefault("1000")
    int scanBatchSize();

    Leftovers leftovers();

    /**
     * Removes what copies leave behind under key-prefix: unfinished multipart uploads (a worker killed mid-copy)
     * and objects no job recorded (an attempt whose lease was lost, or whose outcome could not be recorded).
     */
    interface Leftovers extends JobConfig {
        /** Each pass lists the whole prefix; cheap per object (a primary-key lookup), but not free at millions. */
        @WithDefault("6h")
        Duration every();

        /** Only uploads started and objects written longer ago than this go: a copy in flight is never younger. */
        @WithDefault("24h")
        Duration grace();

        @Override
        @WithDefault("true")
        boolean enabled();

        /** Keys listed and checked per round. */
        @Override
        @WithDefault("500")
        int batchSize();

        @Override
        @WithDefault("10s")
        Duration shutdownGrace();
    }
}
