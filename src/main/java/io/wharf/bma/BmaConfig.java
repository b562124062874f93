package io.wharf.bma;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.wharf.common.web.JsonLimits;
import io.wharf.common.work.JobConfig;

/**
 * BMA transaction ingestion: limits (answered 400/413/415 beyond them), idempotency and cleanup. The body
 * limit, wharf.bma.max-body-size, is enforced before routing and lives with the other body limits in
 * {@link io.wharf.common.web.BodyLimits}.
 */
@ConfigMapping(prefix = "wharf.bma")
public interface BmaConfig {

    @WithDefault("100")
    int maxRecords();

    @WithDefault("10")
    int maxImagesPerRecord();

    /** Decoded bytes of one inline image. */
    @WithDefault("10M")
    @WithConverter(MemorySizeConverter.class)
    MemorySize maxImageBytes();

    /** How long an Idempotency-Key's first answer is replayed. */
    @WithDefault("24h")
    Duration idempotencyTtl();

    /** Requests of one tenant at once on this instance; more answer 429, so one client cannot hold every worker thread. */
    @WithDefault("8")
    int maxConcurrentPerTenant();

    /** Each record's observation (copied into every image's files row, and indexed). */
    JsonLimits observation();

    /** The request stored in action_logs; a larger one is stored cut, marked truncated with its size and SHA-256. */
    @WithDefault("64K")
    @WithConverter(MemorySizeConverter.class)
    MemorySize maxLoggedPayload();

    /** S3 calls (HEADs of bucket URLs, PUTs of inline images) one request runs at once. */
    @WithDefault("8")
    int s3Parallelism();

    /** All S3 calls of one request end within this; later, the request answers 503 and keeps nothing. */
    @WithDefault("30s")
    Duration s3Deadline();

    /** Ingestion's own S3 connections (and threads that use them), apart from the migration's, so neither can starve the other. */
    @WithDefault("32")
    int s3Connections();

    /** Objects of inline images live under {@code <prefix>/<tenant>/}; the sweep looks only there. */
    @WithDefault("ingest")
    String objectPrefix();

    OrphanSweep orphanSweep();

    /** Removes objects under the ingestion prefix that no files row references (left by a crash between upload and commit). */
    interface OrphanSweep extends JobConfig {
        @WithDefault("1h")
        Duration every();

        /** Objects younger than this are left alone: their request may still be about to commit. */
        @WithDefault("1h")
        Duration minAge();

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
