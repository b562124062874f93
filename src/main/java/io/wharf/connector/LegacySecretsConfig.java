package io.wharf.connector;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.wharf.common.work.JobConfig;

/** The background job that encrypts connector secrets adopted in plain text (seed 003's service stored them so). */
@ConfigMapping(prefix = "wharf.legacy-secrets")
public interface LegacySecretsConfig extends JobConfig {

    /** How long after start-up the job first looks; start-up never waits for it. */
    @WithDefault("2s")
    Duration startDelay();

    /** How often it looks again until one pass has found nothing left (a failed pass is retried then). */
    @WithDefault("1m")
    Duration retryEvery();

    @Override
    @WithDefault("true")
    boolean enabled();

    /** Profiles encrypted per transaction. */
    @Override
    @WithDefault("100")
    int batchSize();

    @Override
    @WithDefault("10s")
    Duration shutdownGrace();
}
