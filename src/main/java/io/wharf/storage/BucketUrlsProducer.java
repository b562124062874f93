package io.wharf.storage;

import java.net.URI;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The bucket's URL forms include the configured endpoint (S3Proxy, MinIO), which only the S3 client's configuration knows. */
@ApplicationScoped
class BucketUrlsProducer {

    @Produces
    @ApplicationScoped
    BucketUrls bucketUrls(StorageConfig config, @ConfigProperty(name = "quarkus.s3.endpoint-override") Optional<URI> endpoint) {
        return new BucketUrls(config.bucket(), endpoint);
    }
}
