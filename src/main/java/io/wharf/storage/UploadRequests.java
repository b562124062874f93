package io.wharf.storage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Request and response bodies of the upload API (seed 001's user_uploads). */
public final class UploadRequests {

    private UploadRequests() {
    }

    /**
     * What the client is about to upload; components carry the JSON names, so that validation errors name fields as sent. The object key is Wharf's own
     * ({@code uploads/<tenant>/<type>/<id>-<hash>.<ext>} once completed, the bytes staged before); the file name is kept only as metadata, so
     * no name can reach another key.
     */
    public record CreateUpload(
            @NotNull @Pattern(regexp = "avatar|document|image|report|ai-generated",
                    message = "must be one of avatar, document, image, report, ai-generated") String upload_type,
            @NotBlank @Size(max = 255) @Pattern(regexp = "[^/\\\\\\p{Cntrl}]+",
                    message = "must be a file name without '/', '\\' or control characters") String original_filename,
            @NotBlank @Size(max = 100) String content_type,
            @NotNull @Positive Long file_size,
            ObjectNode metadata) {
    }

    /** How to send the bytes: PUT them to {@code url} with exactly these headers before {@code expires_at}. */
    public record UploadInstructions(String url, String method, Map<String, String> headers,
            @JsonProperty("expires_at") Instant expiresAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UploadView(UUID id, @JsonProperty("upload_type") String uploadType,
            @JsonProperty("original_filename") String originalFilename, String filename,
            @JsonProperty("content_type") String contentType, @JsonProperty("file_size") long fileSize,
            @JsonProperty("s3_bucket") String s3Bucket, @JsonProperty("s3_key") String s3Key, @JsonProperty("s3_url") String s3Url,
            String status, @JsonProperty("expires_at") OffsetDateTime expiresAt, @JsonProperty("created_at") OffsetDateTime createdAt,
            @JsonProperty("completed_at") OffsetDateTime completedAt, ObjectNode metadata, UploadInstructions upload) {

        UploadView with(UploadInstructions instructions) {
            return new UploadView(id, uploadType, originalFilename, filename, contentType, fileSize, s3Bucket, s3Key, s3Url, status, expiresAt,
                    createdAt, completedAt, metadata, instructions);
        }

        public boolean completed() {
            return "completed".equals(status);
        }
    }
}
