package io.wharf.migration;

/**
 * One attempt at a job: fetch the legacy file and store it in S3, answering what came of it. The worker does
 * everything around it (claims, leases, politeness, recording); a build for measuring the queue alone
 * replaces it with one that copies nothing.
 */
interface FileCopy {

    /** What came of the attempt; null when it did not start after all ({@link Throttle#halted()} once its turn came). */
    Outcome copy(Job job, Throttle throttle) throws InterruptedException;
}
