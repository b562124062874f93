package io.wharf.storage;

import java.time.Duration;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/** Not ready when Wharf's bucket cannot be reached: uploads, ingestion and migration all need it. */
@Readiness
@ApplicationScoped
public class S3ReadinessCheck implements HealthCheck {

    private final S3Client s3;
    private final StorageConfig config;

    S3ReadinessCheck(S3Client s3, StorageConfig config) {
        this.s3 = s3;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        String bucket = config.bucket();
        try {
            s3.headBucket(b -> b.bucket(bucket).overrideConfiguration(
                    o -> o.apiCallTimeout(Duration.ofSeconds(config.healthTimeoutSeconds()))));
            return HealthCheckResponse.named("s3").up().withData("bucket", bucket).build();
        } catch (SdkException e) {
            return HealthCheckResponse.named("s3").down().withData("bucket", bucket)
                    .withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
