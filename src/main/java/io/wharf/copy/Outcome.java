package io.wharf.copy;

import java.time.Duration;

/** What one attempt at a job came to; applied to the queue in batches by the completer (queue.OutcomeWriter). */
public sealed interface Outcome permits Outcome.Copied, Outcome.Skipped, Outcome.Failed {

    Job job();

    /** The object is in S3 under {@code key}, with these bytes (of this type). */
    record Copied(Job job, String key, String url, long bytes, String sha256Hex, String contentType) implements Outcome {

        /** What the keys of every copy of this job start with (up to the job id): an earlier copy may be replaced. */
        public String keyPrefix() {
            return upToJobId(key);
        }

        /** As {@link #keyPrefix()}, of the URL. */
        public String urlPrefix() {
            return upToJobId(url);
        }

        private String upToJobId(String s) {
            String id = job.id().toString();
            int at = s.lastIndexOf(id);
            return at < 0 ? s : s.substring(0, at + id.length());
        }
    }

    /** Nothing to copy: already in Wharf's bucket, or the source row is gone or no longer holds the URL. */
    record Skipped(Job job, String reason) implements Outcome {
    }

    /**
     * The copy failed. {@code permanent}: it will fail again (404, a refused address, too large); otherwise it is
     * retried after a backoff (at least {@code retryAfter}, when the server named one) until the attempts run out.
     */
    record Failed(Job job, String reason, String message, boolean permanent, Duration retryAfter) implements Outcome {
    }
}
