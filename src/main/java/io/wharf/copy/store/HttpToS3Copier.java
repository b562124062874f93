package io.wharf.copy.store;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.net.ssl.SSLSocketFactory;

import io.quarkus.scheduler.Scheduled;
import io.wharf.common.net.OutboundUrlPolicy;
import io.wharf.common.net.OutboundUrls;
import io.wharf.copy.CopyConfig;
import io.wharf.copy.CopyFailure;
import io.wharf.copy.Job;
import io.wharf.copy.LegacyColumn;
import io.wharf.copy.Outcome;
import io.wharf.copy.fetch.LegacyConnections;
import io.wharf.copy.fetch.LegacyFetch;
import io.wharf.copy.fetch.Throttle;
import io.wharf.copy.worker.FileCopier;
import io.wharf.storage.BucketUrls;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The copy itself, behind the worker's {@link FileCopier} seam: it fetches (fetch.LegacyFetch) and writes ({@link S3Writer}).
 * A URL of Wharf's own bucket is skipped, a malformed one fails, any other is fetched from the
 * address the outbound policy vetted (the operator's, with the legacy origin's allow-list, for the scan's jobs; a
 * tenant's for files rows) and streamed to S3 under a key of this claim (the worker has taken the origin's slot),
 * over connections kept open between files (LegacyConnections). The legacy server's Content-Type only suggests
 * the key's extension: the object is stored as what its bytes are.
 */
@ApplicationScoped
class HttpToS3Copier implements FileCopier {

    private static final Pattern MEDIA_TYPE = Pattern
            .compile("[A-Za-z0-9.+-]{1,64}/[A-Za-z0-9.+-]{1,64}(\\s*;.{0,100})?");

    private final LegacyFetch fetch;
    private final S3Writer writer;
    private final BucketUrls bucketUrls;
    private final String keyPrefix;
    private final OutboundUrls policies;

    HttpToS3Copier(S3Writer writer, BucketUrls bucketUrls, CopyConfig config, OutboundUrls policies) {
        CopyConfig m = config;
        this.policies = policies;
        this.fetch = new LegacyFetch(m.connectTimeout(), m.stallTimeout(), (SSLSocketFactory) SSLSocketFactory.getDefault(),
                new LegacyConnections(m.perHostConcurrency(), Math.max(2 * m.concurrency(), m.perHostConcurrency()), m.keepAlive()))
                .pace(m.attemptAllowance(), m.minRate().asLongValue());
        this.writer = writer;
        this.bucketUrls = bucketUrls;
        this.keyPrefix = m.keyPrefix();
    }

    /** Kept connections idle past keep-alive are closed even when no file is fetched any more. */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void closeIdleConnections() {
        fetch.closeIdle();
    }

    @PreDestroy
    void close() {
        fetch.close();
    }

    @Override
    public Outcome copy(Job j, Throttle throttle) throws InterruptedException {
        if (j.column() == null && (LegacyColumn.of(j.table()).isEmpty() || !(j.sourceColumn() == null || j.sourceColumn().isEmpty()))) {
            return new Outcome.Failed(j, "malformed_url", "the job names no known legacy column (" + j.table() + "." + j.sourceColumn() + ")", true,
                    null);
        }
        BucketUrls.Target target = bucketUrls.classify(j.oldUrl() == null ? "" : j.oldUrl().trim());
        if (target instanceof BucketUrls.Own) {
            return new Outcome.Skipped(j, "already an object of Wharf's bucket; nothing to copy");
        }
        if (target instanceof BucketUrls.Invalid invalid) {
            return new Outcome.Failed(j, "malformed_url", "the legacy URL " + invalid.reason(), true, null);
        }
        throttle.startFile();
        if (throttle.halted() || !j.lease().valid()) { // paused (or the lease gone) while it waited for the rate: the pause wins
            return null;
        }
        // a files row's URL came from a tenant: the legacy server's allow-list is the operator's, for the scan's jobs only
        boolean seed = !LegacyColumn.of(j.table()).isEmpty() && !LegacyColumn.FILES.table.equals(j.table());
        OutboundUrlPolicy policy = seed ? policies.operator() : policies.tenant();
        try (LegacyFetch.Response r = fetch.open(j.oldUrl().trim(), policy)) {
            String declared = contentType(r.contentType());
            S3Writer.Copied c = writer.write(r, type -> ObjectKeys.key(keyPrefix, j, ObjectKeys.extension(j.oldUrl(), declared, type)), j.lease(),
                    throttle);
            throttle.s3Ok();
            return new Outcome.Copied(j, c.key(), bucketUrls.canonical(c.key()), c.bytes(), c.sha256Hex(), c.contentType());
        } catch (CopyFailure f) {
            if ("s3_slow_down".equals(f.reason())) {
                throttle.s3SlowDown();
            }
            return new Outcome.Failed(j, f.reason(), f.getMessage(), f.permanent(), f.retryAfter());
        } catch (IOException e) {
            return new Outcome.Failed(j, "connection", "closing the connection failed: " + e.getMessage(), false, null);
        }
    }

    private static String contentType(String declared) {
        if (declared != null && MEDIA_TYPE.matcher(declared).matches()) {
            return declared.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        }
        return "application/octet-stream";
    }
}
