package io.wharf.copy.worker;

import io.wharf.copy.Job;
import io.wharf.copy.Outcome;
import io.wharf.copy.fetch.Throttle;

/**
 * The seam between the worker and the copy itself: one attempt at a job, answering what came of it. The worker
 * does everything around it (claims, leases, politeness, recording); the store's HttpToS3Copier fetches the legacy
 * file and writes it to S3, and a build for measuring the queue alone replaces it with one that copies nothing.
 */
public interface FileCopier {

    /** What came of the attempt; null when it did not start after all ({@link Throttle#halted()} once its turn came). */
    Outcome copy(Job job, Throttle throttle) throws InterruptedException;
}
