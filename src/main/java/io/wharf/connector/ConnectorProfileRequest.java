package io.wharf.connector;

import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Seed 003's flat connector profile body, with the seed's snake_case names. test_status and last_tested
 * are not accepted: only POST /connector/profiles/{id}/test sets them.
 */
public record ConnectorProfileRequest(
        String id,
        @NotBlank @Size(max = 255) String name,
        @NotNull ConnectorType type,
        @Size(max = 4096) String connection_string,
        @Size(max = 20) Map<String, Object> credentials,
        Map<String, Object> schema_info,
        @Size(max = 2000) String description) {

    public enum ConnectorType { sql, api, excel }
}
