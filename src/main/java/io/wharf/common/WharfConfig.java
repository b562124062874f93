package io.wharf.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Wharf's own settings; every one has a default so that a bare start works. */
@ConfigMapping(prefix = "wharf")
public interface WharfConfig {

    S3 s3();

    LocalServices localServices();

    Auth auth();

    Crypto crypto();

    Outbound outbound();

    Documents documents();

    interface Documents {
        /**
         * The largest body a document route reads (documents are at most 1,000,000 bytes of JSON); larger ones
         * get 413 before they are parsed. quarkus.http.limits.max-body-size stays the service-wide ceiling.
         */
        @WithDefault("1M")
        @io.smallrye.config.WithConverter(io.quarkus.runtime.configuration.MemorySizeConverter.class)
        io.quarkus.runtime.configuration.MemorySize maxBodySize();
    }

    Bma bma();

    /** BMA transaction ingestion: limits (answered 400/413/415 beyond them), idempotency and cleanup. */
    interface Bma {
        /** The largest request body read; larger ones get 413. quarkus.http.limits.max-body-size stays the ceiling. */
        @WithDefault("20M")
        @io.smallrye.config.WithConverter(io.quarkus.runtime.configuration.MemorySizeConverter.class)
        io.quarkus.runtime.configuration.MemorySize maxBodySize();

        @WithDefault("100")
        int maxRecords();

        @WithDefault("10")
        int maxImagesPerRecord();

        /** Decoded bytes of one inline image. */
        @WithDefault("10M")
        @io.smallrye.config.WithConverter(io.quarkus.runtime.configuration.MemorySizeConverter.class)
        io.quarkus.runtime.configuration.MemorySize maxImageBytes();

        /** How long an Idempotency-Key's first answer is replayed. */
        @WithDefault("24h")
        java.time.Duration idempotencyTtl();

        /** Requests of one tenant at once on this instance; more answer 429, so one client cannot hold every worker thread. */
        @WithDefault("8")
        int maxConcurrentPerTenant();

        /** Each record's observation (copied into every image's files row, and indexed). */
        FreeForm observation();

        /** Limits of free-form JSON a client stores: every byte is stored again per image and every value is an index entry. */
        interface FreeForm {
            /** Bytes of the JSON as Wharf writes it. */
            @WithDefault("16K")
            @io.smallrye.config.WithConverter(io.quarkus.runtime.configuration.MemorySizeConverter.class)
            io.quarkus.runtime.configuration.MemorySize maxBytes();

            /** Nested objects and arrays; the value itself is depth 1. */
            @WithDefault("10")
            int maxDepth();

            /** Object fields and array elements at every depth. */
            @WithDefault("500")
            int maxKeys();
        }

        /** The request stored in action_logs; a larger one is stored cut, marked truncated with its size and SHA-256. */
        @WithDefault("64K")
        @io.smallrye.config.WithConverter(io.quarkus.runtime.configuration.MemorySizeConverter.class)
        io.quarkus.runtime.configuration.MemorySize maxLoggedPayload();

        /** S3 calls (HEADs of bucket URLs, PUTs of inline images) one request runs at once. */
        @WithDefault("8")
        int s3Parallelism();

        /** All S3 calls of one request end within this; later, the request answers 503 and keeps nothing. */
        @WithDefault("30s")
        java.time.Duration s3Deadline();

        /** Ingestion's own S3 connections (and threads that use them), apart from the migration's, so neither can starve the other. */
        @WithDefault("32")
        int s3Connections();

        /** Objects of inline images live under {@code <prefix>/<tenant>/}; the sweep looks only there. */
        @WithDefault("ingest")
        String objectPrefix();

        OrphanSweep orphanSweep();

        /** Removes objects under the ingestion prefix that no files row references (left by a crash between upload and commit). */
        interface OrphanSweep extends io.wharf.common.work.JobConfig {
            @WithDefault("1h")
            java.time.Duration every();

            /** Objects younger than this are left alone: their request may still be about to commit. */
            @WithDefault("1h")
            java.time.Duration minAge();

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

    Uploads uploads();

    /** Presigned uploads (seed 001's user_uploads) and presigned downloads. */
    interface Uploads {
        /** Largest file_size an upload may declare. */
        @WithDefault("50M")
        @io.smallrye.config.WithConverter(io.quarkus.runtime.configuration.MemorySizeConverter.class)
        io.quarkus.runtime.configuration.MemorySize maxFileSize();

        /** An upload's metadata, limited like an observation. */
        Bma.FreeForm metadata();

        /** How long a presigned PUT or GET URL stays valid. */
        @WithDefault("15m")
        java.time.Duration urlTtl();

        /** An upload no transaction has used is removed (object and row) this long after it was created. */
        @WithDefault("24h")
        java.time.Duration ttl();

        Sweep sweep();

        /** Removes uploads past expires_at, object and row. */
        interface Sweep extends io.wharf.common.work.JobConfig {
            @WithDefault("5m")
            java.time.Duration every();

            /** Uploads are removed only this long after expiring, so a request that checked one just before cannot lose it. */
            @WithDefault("5m")
            java.time.Duration grace();

            @Override
            @WithDefault("true")
            boolean enabled();

            @Override
            @WithDefault("200")
            int batchSize();

            @Override
            @WithDefault("10s")
            java.time.Duration shutdownGrace();
        }
    }

    LegacySecrets legacySecrets();

    /** The background job that encrypts connector secrets adopted in plain text (seed 003's service stored them so). */
    interface LegacySecrets extends io.wharf.common.work.JobConfig {
        /** How long after start-up the job first looks; start-up never waits for it. */
        @WithDefault("2s")
        java.time.Duration startDelay();

        /** How often it looks again until one pass has found nothing left (a failed pass is retried then). */
        @WithDefault("1m")
        java.time.Duration retryEvery();

        @Override
        @WithDefault("true")
        boolean enabled();

        /** Profiles encrypted per transaction. */
        @Override
        @WithDefault("100")
        int batchSize();

        @Override
        @WithDefault("10s")
        java.time.Duration shutdownGrace();
    }

    interface Crypto {
        /** {@code <key id>:<base64 of 32 bytes>[,...]}; every key that ever encrypted a stored secret. */
        java.util.Optional<String> keys();

        /** The key new secrets are encrypted with; the first of {@code keys} when unset. */
        java.util.Optional<String> activeKey();
    }

    interface Outbound {
        /** Allow connections to loopback, private, link-local and other internal addresses (off: SSRF protection). */
        @WithDefault("false")
        boolean allowPrivateAddresses();

        /**
         * Host names that may be reached even though they resolve to internal addresses, as {@code host},
         * {@code host:port} or {@code host:*} (image URLs; connection tests match the name only).
         */
        java.util.Optional<java.util.List<String>> allowedHosts();

        /** Ports a tenant's image URL (and every redirect from it) may use, so that no URL reaches a host's other services. */
        @WithDefault("80,443")
        java.util.List<Integer> allowedPorts();

        /** Time limit for a connection test. */
        @WithDefault("5")
        int timeoutSeconds();

        /** Bytes of an HTTP test's response body read at most; the rest is never downloaded. */
        @WithDefault("65536")
        int maxResponseBytes();

        /** Connection tests one tenant may run at once; more answer 429, so one client cannot hold every worker thread. */
        @WithDefault("2")
        int maxConcurrentTestsPerTenant();

        /** DNS servers ({@code host} or {@code host:port}) for outbound name lookups; unset: those of /etc/resolv.conf. */
        java.util.Optional<java.util.List<String>> dnsServers();

        /** One DNS query's wait for an answer; a server that stays silent longer is asked again or the next one is. */
        @WithDefault("3s")
        java.time.Duration dnsQueryTimeout();

        /** Name lookups one tenant may have in flight; more fail at once, so its unanswered names cannot hold others'. */
        @WithDefault("8")
        int dnsMaxLookupsPerTenant();
    }

    interface Auth {
        /** Hashed into api_keys on the first start that sees it; see README "First admin key". */
        java.util.Optional<String> bootstrapAdminKey();

        @WithDefault("operators")
        String bootstrapTenantName();

        KeyCache keyCache();

        KeyUse keyUse();

        /** Writing when each key was last used (api_keys.last_used_at, for people, not for security) in the background. */
        interface KeyUse extends io.wharf.common.work.JobConfig {
            /** How often the uses noted in memory are written; one key used many times in between costs one row update. */
            @WithDefault("1m")
            java.time.Duration flushEvery();

            /** Keys noted at most between two writes; uses of further keys are not recorded until the next write. */
            @WithDefault("10000")
            int maxPending();

            @Override
            @WithDefault("true")
            boolean enabled();

            /** Keys written per UPDATE statement. */
            @Override
            @WithDefault("500")
            int batchSize();

            /** Shutdown waits this long for a write in flight, then writes what is still noted. */
            @Override
            @WithDefault("5s")
            java.time.Duration shutdownGrace();
        }

        interface KeyCache {
            /** Backstop: a verified key is checked against the database again after this long. */
            @WithDefault("5m")
            java.time.Duration ttl();

            /** How long a prefix that let no key in (unknown, revoked, tenant inactive) is answered 401 from memory. */
            @WithDefault("30s")
            java.time.Duration negativeTtl();

            @WithDefault("10000")
            int negativeMaxEntries();

            /** Key lookups against the database at once; the rest of the pool stays free for requests. */
            @WithDefault("8")
            int maxConcurrentLookups();

            /** How long a lookup waits for a free slot before the request is answered 503 with Retry-After. */
            @WithDefault("250ms")
            java.time.Duration lookupWait();

            /** Round trip on the LISTEN connection; the cache is unused when none succeeded for two intervals. */
            @WithDefault("10s")
            java.time.Duration keepalive();
        }
    }

    interface S3 {
        /** The bucket that holds Wharf's files. */
        @WithDefault("wharf-files")
        String bucket();

        /** How long readiness waits for the bucket to answer. */
        @WithDefault("3")
        int healthTimeoutSeconds();
    }

    interface LocalServices {
        /**
         * Dev mode only (read by {@code io.wharf.devservices}, ignored in every other profile): create the local
         * database and start S3Proxy when no S3 endpoint is set.
         */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("4.1.0")
        String s3proxyVersion();
    }
}
