package io.wharf.storage;

import java.time.Instant;
import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A files row as clients see it. {@code download_url} is a presigned GET of the object (S3 files only), valid
 * until {@code download_expires_at}; an external file has only its {@code url} until the migration copies it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileView(long id, String source, @JsonProperty("file_type") String fileType, String url,
        @JsonProperty("s3_bucket") String s3Bucket, @JsonProperty("s3_key") String s3Key,
        @JsonProperty("content_type") String contentType, @JsonProperty("size_bytes") Long sizeBytes,
        @JsonProperty("checksum_sha256") String checksumSha256, @JsonProperty("original_filename") String originalFilename,
        JsonNode observation, @JsonProperty("related_entity_type") String relatedEntityType,
        @JsonProperty("related_entity_id") Long relatedEntityId, @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("download_url") String downloadUrl, @JsonProperty("download_expires_at") Instant downloadExpiresAt) {

    public FileView withDownload(ObjectStore.Presigned get) {
        return new FileView(id, source, fileType, url, s3Bucket, s3Key, contentType, sizeBytes, checksumSha256, originalFilename, observation,
                relatedEntityType, relatedEntityId, createdAt, get.url(), get.expiresAt());
    }

    /** Whether Wharf can hand out a download URL for it: an object of Wharf's own bucket. */
    public boolean downloadable(String bucket) {
        return "s3".equals(source) && s3Key != null && bucket.equals(s3Bucket);
    }
}
