package io.wharf.common.work;

import java.time.Duration;

/**
 * The settings every background job has, so that operators find the same names under each job's group in
 * its feature's {@code @ConfigMapping}. Each group extends this and re-declares the methods with its own
 * defaults; how often the job runs is a property of the group too, named in the job's {@code @Scheduled}.
 */
public interface JobConfig {

    /** Off: this instance takes no part in the job (its trigger still fires and returns at once). */
    boolean enabled();

    /** Items claimed and processed per transaction: a crash or a stop loses at most one batch's work. */
    int batchSize();

    /** How long shutdown waits for a pass in flight to finish its batch before the process goes on stopping. */
    Duration shutdownGrace();
}
