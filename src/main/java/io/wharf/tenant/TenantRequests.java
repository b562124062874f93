package io.wharf.tenant;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the tenant and key administration API. */
public final class TenantRequests {

    private TenantRequests() {
    }

    public record CreateTenant(
            @NotBlank @Size(max = 255) String name,
            Map<String, Object> metadata,
            @Size(min = 1, max = 2) List<@Pattern(regexp = "admin|client", message = "must be admin or client") String> scopes,
            @Size(max = 100) String keyName) {

        public List<String> scopesOrDefault() {
            return scopes == null ? List.of(Scope.CLIENT) : scopes;
        }
    }

    public record UpdateTenant(@Size(min = 1, max = 255) String name, Boolean active, Map<String, Object> metadata) {
    }

    public record CreateKey(
            @Size(max = 100) String name,
            @Size(min = 1, max = 2) List<@Pattern(regexp = "admin|client", message = "must be admin or client") String> scopes,
            @Future OffsetDateTime expiresAt) {

        public List<String> scopesOrDefault() {
            return scopes == null ? List.of(Scope.CLIENT) : scopes;
        }
    }

    /** A new tenant and its first key, whose plain text is shown here once. */
    public record TenantCreated(TenantView tenant, KeyView apiKey) {
    }
}
