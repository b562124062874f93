package io.wharf.storage;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.wharf.common.web.JsonLimits;
import io.wharf.common.work.JobConfig;

/** Presigned uploads (seed 001's user_uploads) and presigned downloads. */
@ConfigMapping(prefix = "wharf.uploads")
public interface UploadsConfig {

    /** Largest file_size an upload may declare. */
    @WithDefault("50M")
    @WithConverter(MemorySizeConverter.class)
    MemorySize maxFileSize();

    /** An upload's metadata, limited like an observation. */
    JsonLimits metadata();

    /** How long a presigned PUT or GET URL stays valid. */
    @WithDefault("15m")
    Duration urlTtl();

    /** An upload no transaction has used is removed (object and row) this long after it was created. */
    @WithDefault("24h")
    Duration ttl();

    Sweep sweep();

    /** Removes uploads past expires_at, object and row. */
    interface Sweep extends JobConfig {
        @WithDefault("5m")
        Duration every();

        /** Uploads are removed only this long after expiring, so a request that checked one just before cannot lose it. */
        @WithDefault("5m")
        Duration grace();

        @Override
        @WithDefault("true")
        boolean enabled();

        @Override
        @WithDefault("200")
        int batchSize();

        @Override
        @WithDefault("10s")
        Duration shutdownGrace();
    }
}
