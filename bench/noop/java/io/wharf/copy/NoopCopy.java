package io.wharf.copy;

import io.wharf.copy.fetch.Throttle;
import io.wharf.copy.worker.FileCopier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * Benchmark-only (bench/copy builds it into a separate artifact with -Pbench-noop; it is never in
 * Wharf's build): a copy that copies nothing, so that draining the queue measures the queue machinery alone
 * (claims, leases, completions with their source row, user_uploads and audit rows). It answers at once that
 * the job's object is in S3, without any I/O.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class NoopCopy implements FileCopier {

    private static final String NO_SHA256 = "0".repeat(64);

    @Override
    public Outcome copy(Job job, Throttle throttle) {
        return new Outcome.Copied(job, "noop/" + job.id(), "https://bucket.s3.amazonaws.com/noop/" + job.id(), 0, NO_SHA256,
                "application/octet-stream");
    }
}
