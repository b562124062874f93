package io.wharf.tenant;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.wharf.common.work.JobConfig;

/** API keys: the bootstrap admin key, the key cache and the record of each key's last use. */
@ConfigMapping(prefix = "wharf.auth")
public interface AuthConfig {

    /** Hashed into api_keys on the first start that sees it; see README "First admin key". */
    Optional<String> bootstrapAdminKey();

    @WithDefault("operators")
    String bootstrapTenantName();

    KeyCache keyCache();

    KeyUse keyUse();

    /** Writing when each key was last used (api_keys.last_used_at, for people, not for security) in the background. */
    interface KeyUse extends JobConfig {
        /** How often the uses noted in memory are written; one key used many times in between costs one row update. */
        @WithDefault("1m")
        Duration flushEvery();

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
        Duration shutdownGrace();
    }

    interface KeyCache {
        /** Backstop: a verified key is checked against the database again after this long. */
        @WithDefault("5m")
        Duration ttl();

        /** How long a prefix that let no key in (unknown, revoked, tenant inactive) is answered 401 from memory. */
        @WithDefault("30s")
        Duration negativeTtl();

        @WithDefault("10000")
        int negativeMaxEntries();

        /** Key lookups against the database at once; the rest of the pool stays free for requests. */
        @WithDefault("8")
        int maxConcurrentLookups();

        /** How long a lookup waits for a free slot before the request is answered 503 with Retry-After. */
        @WithDefault("250ms")
        Duration lookupWait();

        /** Round trip on the LISTEN connection; the cache is unused when none succeeded for two intervals. */
        @WithDefault("10s")
        Duration keepalive();
    }
}
