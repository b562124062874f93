package io.wharf.clientconfig;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Seed 003's client config. Components carry the seed's snake_case names so that validation errors
 * name fields exactly as clients send them.
 */
public record ClientConfigRequest(
        String client_id,
        @NotBlank @Size(max = 255) String client_name,
        @NotNull LicenseType license_type,
        @Size(max = 100) List<@NotBlank @Size(max = 100) String> modules,
        Map<String, Object> preferences,
        @Size(max = 1000) List<Object> custom_kpis,
        @Size(max = 1000) List<Object> data_sources) {

    public enum LicenseType { basic, professional, enterprise }
}
