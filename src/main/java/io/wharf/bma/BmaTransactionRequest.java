package io.wharf.bma;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The JSON contract of a posted transaction, for the API description. The body is checked field by field by
 * {@link BmaParser} (so that every mistake is named), not bound to these records.
 */
@Schema(name = "BmaTransaction", description = "A waste-collection transaction; unknown fields are refused at any depth")
public record BmaTransactionRequest(
        @Schema(required = true, maxLength = 255,
                description = "The partner's id; unique per tenant, the key of idempotency") @JsonProperty("external_transaction_id") String externalTransactionId,
        @Schema(required = true, description = "ISO-8601 date-time with offset, or a date (taken as 00:00 UTC)",
                example = "2025-11-07T09:30:00+07:00") @JsonProperty("transaction_date") String transactionDate,
        @Schema(required = true) Location location,
        @Schema(required = true) @JsonProperty("collected_by") Collector collectedBy,
        @Schema(maxLength = 2000) String notes,
        @Schema(required = true, minItems = 1, description = "At most wharf.bma.max-records (100)") List<Record> records) {

    @Schema(name = "BmaLocation", description = "Where the waste was collected")
    public record Location(@Schema(required = true, maxLength = 200) String name, @Schema(maxLength = 500) String address,
            @Schema(minimum = "-90", maximum = "90") BigDecimal latitude, @Schema(minimum = "-180", maximum = "180") BigDecimal longitude) {
    }

    @Schema(name = "BmaCollector", description = "Who collected it: an id, a name, or both")
    public record Collector(@Schema(maxLength = 100) String id, @Schema(maxLength = 200) String name) {
    }

    @Schema(name = "BmaRecord")
    public record Record(@Schema(required = true, maxLength = 200) String material,
            @Schema(required = true, minimum = "0", description = "A JSON number, not a string") BigDecimal quantity,
            @Schema(required = true, enumeration = {
                    "kg", "g", "t", "lb", "l", "ml", "m3", "pcs" }) String unit,
            @Schema(minimum = "0") BigDecimal price,
            @Schema(pattern = "[A-Z]{3}", description = "ISO 4217") String currency,
            @Schema(description = "Free-form object; copied to each image's files.observation") Map<String, Object> observation,
            @Schema(description = "At most wharf.bma.max-images-per-record (10)") List<Image> images) {
    }

    @Schema(name = "BmaImage", description = "Exactly one of url, upload_id or data")
    public record Image(
            @Schema(description = "A URL of Wharf's bucket (this tenant's objects), or any http(s) URL, copied to S3 later by the migration") String url,
            @Schema(description = "The id POST /api/uploads answered; the upload must be completed and not expired") @JsonProperty("upload_id") String uploadId,
            @Schema(description = "The file's bytes in base64; at most wharf.bma.max-image-bytes (10 MiB) decoded") String data,
            @Schema(description = "With data only: image/jpeg, image/png, image/webp, image/heic or application/pdf; must match the bytes") @JsonProperty("content_type") String contentType,
            @Schema(maxLength = 255) String filename) {
    }
}
