package io.wharf.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Wharf's bucket. */
@ConfigMapping(prefix = "wharf.s3")
public interface StorageConfig {

    /** The bucket that holds Wharf's files. */
    @WithDefault("wharf-files")
    String bucket();

    /** How long readiness waits for the bucket to answer. */
    @WithDefault("3")
    int healthTimeoutSeconds();
}
