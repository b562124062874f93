package io.wharf.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The legacy-file migration's settings, the last group left here: every other feature has its own mapping in its
 * package (see docs/architecture.md). {@link #s3()} repeats {@code wharf.s3.bucket} of storage's StorageConfig for
 * the migration package only, until it reads StorageConfig itself.
 */
@ConfigMapping(prefix = "wharf")
public interface WharfConfig {

    S3 s3();

    /** Read only by io.wharf.migration; the same key and default as storage's StorageConfig.bucket(). */
    interface S3 {
        @WithDefault("wharf-files")
        String bucket();
    }

    Migration migration();

    /** The legacy-file migration: draining s3_migration_log into S3. */
    interface Migration extends io.wharf.common.work.JobConfig {
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
        java.time.Duration shutdownGrace();

        /** How often an idle worker looks for due jobs; new jobs wake it at once (LISTEN/NOTIFY). */
        @WithDefault("5s")
        java.time.Duration pollEvery();

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
        @io.smallrye.config.WithConverter(io.quarkus.runtime.configuration.MemorySizeConverter.class)
        io.quarkus.runtime.configuration.MemorySize maxBytesPerSecond();

        /** Attempts before a job that keeps failing for transient reasons is failed. */
        @WithDefault("5")
        int maxAttempts();

        /** First retry delay; doubled per attempt up to backoff-cap, with jitter. */
        @WithDefault("2s")
        java.time.Duration backoffBase();

        @WithDefault("10m")
        java.time.Duration backoffCap();

        /** A claimed job is this worker's until the lease expires (on the database clock); renewed while it works. */
        @WithDefault("60s")
        java.time.Duration lease();

        /** How often the leases of copies in flight are extended; well inside the lease. */
        @WithDefault("15s")
        java.time.Duration renewEvery();

        /** Legacy files larger than this fail at once. */
        @WithDefault("5G")
        @io.smallrye.config.WithConverter(io.quarkus.runtime.configuration.MemorySizeConverter.class)
        io.quarkus.runtime.configuration.MemorySize maxFileSize();

        /** Bodies larger than one part (or of unknown size) go to S3 as a multipart upload of such parts; memory is two parts per copy (one sent while the next is read). */
        @WithDefault("8M")
        @io.smallrye.config.WithConverter(io.quarkus.runtime.configuration.MemorySizeConverter.class)
        io.quarkus.runtime.configuration.MemorySize partSize();

        /** Connecting to the legacy server and receiving its headers. */
        @WithDefault("10s")
        java.time.Duration connectTimeout();

        /** The longest the body may stall (no byte arriving) before the attempt is given up. */
        @WithDefault("30s")
        java.time.Duration stallTimeout();

        /**
         * How long a connection to a legacy host stays open for the next file (at most per-host-concurrency per
         * host); 0 opens a new connection for every file.
         */
        @WithDefault("4s")
        java.time.Duration keepAlive();

        /** Time every attempt has before min-rate applies (connecting, a slow start), so small files never race a clock. */
        @WithDefault("60s")
        java.time.Duration attemptAllowance();

        /**
         * Bytes per second an attempt must average after the allowance (so a body of length L must be done within
         * attempt-allowance + L / min-rate): a trickling origin cannot hold a copy slot for weeks. 0: no pace.
         */
        @WithDefault("16K")
        @io.smallrye.config.WithConverter(io.quarkus.runtime.configuration.MemorySizeConverter.class)
        io.quarkus.runtime.configuration.MemorySize minRate();

        /** First probe after S3 or a legacy origin failed to connect; outages are probed instead of spending jobs' attempts. */
        @WithDefault("1s")
        java.time.Duration probeEvery();

        /** The probe interval doubles while the outage lasts, up to this, so a long outage costs few probes. */
        @WithDefault("1m")
        java.time.Duration probeCap();

        /**
         * Legacy hosts that the scan's jobs may fetch from even though they resolve to internal addresses (the old
         * file server), as {@code host}, {@code host:port} or {@code host:*}; without a port only wharf.outbound.allowed-ports.
         * Never applies to a tenant's URL nor to a redirect reached from one.
         */
        java.util.Optional<java.util.List<String>> allowedHosts();

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
        interface Leftovers extends io.wharf.common.work.JobConfig {
            /** Each pass lists the whole prefix; cheap per object (a primary-key lookup), but not free at millions. */
            @WithDefault("6h")
            java.time.Duration every();

            /** Only uploads started and objects written longer ago than this go: a copy in flight is never younger. */
            @WithDefault("24h")
            java.time.Duration grace();

            @Override
            @WithDefault("true")
            boolean enabled();

            /** Keys listed and checked per round. */
            @Override
            @WithDefault("500")
            int batchSize();

            @Override
            @WithDefault("10s")
            java.time.Duration shutdownGrace();
        }
    }
}
