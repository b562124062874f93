package io.wharf.bma;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** Answers of the BMA API: a transaction as stored, and the summaries its list pages hold. */
public final class BmaViews {

    private BmaViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Transaction(@JsonProperty("external_transaction_id") String externalTransactionId,
            @JsonProperty("transaction_id") long transactionId, String status,
            @JsonProperty("transaction_date") OffsetDateTime transactionDate, JsonNode location,
            @JsonProperty("collected_by") JsonNode collectedBy, String notes, @JsonProperty("created_at") OffsetDateTime createdAt,
            List<Record> records) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Record(@JsonProperty("record_id") long recordId, @JsonProperty("record_index") int recordIndex, String material,
            JsonNode quantity, String unit, JsonNode price, String currency, JsonNode observation, List<Image> images) {
    }

    /**
     * One image as a files row: {@code url} is the object's S3 URL or the external URL; {@code download_url}
     * a presigned GET of an S3 object (only in GET answers, valid until {@code download_expires_at}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(@JsonProperty("file_id") long fileId, String source, String url, @JsonProperty("content_type") String contentType,
            @JsonProperty("size_bytes") Long sizeBytes, @JsonProperty("checksum_sha256") String checksumSha256,
            @JsonProperty("original_filename") String originalFilename, @JsonProperty("download_url") String downloadUrl,
            @JsonProperty("download_expires_at") Instant downloadExpiresAt) {
    }

    public record Summary(@JsonProperty("external_transaction_id") String externalTransactionId,
            @JsonProperty("transaction_id") long transactionId, String status,
            @JsonProperty("transaction_date") OffsetDateTime transactionDate, @JsonProperty("record_count") int recordCount,
            @JsonProperty("image_count") int imageCount, @JsonProperty("created_at") OffsetDateTime createdAt) {
    }
}
