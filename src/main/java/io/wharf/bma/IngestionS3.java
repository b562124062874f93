package io.wharf.bma;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.common.annotation.Identifier;
import io.wharf.storage.ObjectStore;
import io.wharf.storage.StorageConfig;
import io.wharf.storage.UploadsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Ingestion's own way to S3 ({@code @Identifier("ingestion")}): an S3 client and a PUT pool of
 * wharf.bma.s3-connections connections, apart from the client Quarkus configures (quarkus.s3.*, 64 connections),
 * which the migration, uploads and the sweeps use. A migration that keeps every one of its connections busy
 * cannot make ingestion requests wait for one, and a flood of ingestion requests cannot stall the copies. The
 * client is built from the configured one's endpoint, region, credentials and addressing style.
 */
@ApplicationScoped
public class IngestionS3 {

    public static final String INGESTION = "ingestion";

    @Produces
    @Singleton
    @Identifier(INGESTION)
    S3Client ingestionClient(S3Client configured, BmaConfig config,
            @ConfigProperty(name = "quarkus.s3.path-style-access", defaultValue = "false") boolean pathStyle) {
        S3ServiceClientConfiguration c = configured.serviceClientConfiguration();
        var builder = S3Client.builder().region(c.region()).credentialsProvider(c.credentialsProvider()).forcePathStyle(pathStyle)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(Math.max(1, config.s3Connections()))
                        .connectionAcquisitionTimeout(config.s3Deadline()));
        c.endpointOverride().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    void close(@Disposes @Identifier(INGESTION) S3Client client) {
        client.close();
    }

    @Produces
    @Singleton
    @Identifier(INGESTION)
    ObjectStore ingestionStore(@Identifier(INGESTION) S3Client client, S3Presigner presigner, StorageConfig storage, UploadsConfig uploads,
            BmaConfig config) {
        return new ObjectStore(client, presigner, storage, uploads, Math.max(1, config.s3Connections()));
    }

    void close(@Disposes @Identifier(INGESTION) ObjectStore store) {
        store.close();
    }
}
