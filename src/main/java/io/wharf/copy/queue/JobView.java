package io.wharf.copy.queue;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A job as operators list it (GET /api/s3-migration/jobs): the columns of s3_migration_log they filter and act on. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(UUID id, @JsonProperty("table_name") String tableName, @JsonProperty("record_id") UUID recordId,
        @JsonProperty("file_id") Long fileId, @JsonProperty("source_column") String sourceColumn, @JsonProperty("old_url") String oldUrl,
        @JsonProperty("new_s3_url") String newS3Url, @JsonProperty("migration_status") String status, int attempts,
        @JsonProperty("failure_reason") String failureReason, @JsonProperty("error_message") String errorMessage,
        @JsonProperty("file_size") Long fileSize, @JsonProperty("checksum_sha256") String checksum,
        @JsonProperty("lease_owner") String leaseOwner,
        @JsonProperty("next_attempt_at") OffsetDateTime nextAttemptAt, @JsonProperty("migrated_at") OffsetDateTime migratedAt,
        @JsonProperty("created_at") OffsetDateTime createdAt) {
}
