package io.wharf.migration;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.net.ssl.SSLSocketFactory;

import io.quarkus.scheduler.Scheduled;
import io.wharf.common.WharfConfig;
import io.wharf.common.net.OutboundAddressPolicy;
import io.wharf.storage.BucketUrls;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The real copy: a URL of Wharf's own bucket is skipped, a malformed one fails, any other is fetched from the
 * address the outbound policy vetted (with the legacy origin's allow-list) and streamed to S3 under the job's
 * key (the worker has taken the origin's slot), over connections kept open between files (LegacyConnections).
 */
@ApplicationScoped
class HttpToS3Copy implements FileCopy {

    private static final Pattern MEDIA_TYPE = Pattern
            .compile("[A-Za-z0-9.+-]{1,64}/[A-Za-z0-9.+-]{1,64}(\\s*;.{0,100})?");

    private final LegacyFetch fetch;
    private final S3Copier copier;
    private final BucketUrls bucketUrls;
    private final String keyPrefix;

    HttpToS3Copy(S3Copier copier, BucketUrls bucketUrls, WharfConfig config) {
        WharfConfig.Migration m = config.migration();
        OutboundAddressPolicy policy = OutboundAddressPolicy.of(config.outbound().allowPrivateAddresses(), m.allowedHosts().orElse(List.of()),
                (int) Math.max(1, m.connectTimeout().toSeconds()));
        this.fetch = new LegacyFetch(policy, m.connectTimeout(), m.stallTimeout(), (SSLSocketFactory) SSLSocketFactory.getDefault(),
                new LegacyConnections(m.perHostConcurrency(), Math.max(2 * m.concurrency(), m.perHostConcurrency()), m.keepAlive()))
                .pace(m.attemptAllowance(), m.minRate().asLongValue());
        this.copier = copier;
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
        if (throttle.halted()) { // paused while it waited for the rate: the pause wins
            return null;
        }
        try (LegacyFetch.Response r = fetch.open(j.oldUrl().trim())) {
            String type = contentType(r.contentType());
            String key = Keys.key(keyPrefix, j, Keys.extension(j.oldUrl(), type));
            S3Copier.Copied c = copier.copy(r, key, type, throttle);
            throttle.s3Ok();
            return new Outcome.Copied(j, key, bucketUrls.canonical(key), c.bytes(), c.sha256Hex(), type);
        } catch (LegacyFetch.Failure f) {
            if ("s3_slow_down".equals(f.reason)) {
                throttle.s3SlowDown();
            }
            return new Outcome.Failed(j, f.reason, f.getMessage(), f.permanent, f.retryAfter);
        } catch (java.io.IOException e) {
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
