package io.wharf.tenant;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An API key as clients see it: never its hash, and its plain text only once, when it is created. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyView(UUID id, UUID tenantId, String name, String prefix, List<String> scopes, String status,
        OffsetDateTime createdAt, OffsetDateTime expiresAt, OffsetDateTime revokedAt, OffsetDateTime lastUsedAt,
        UUID rotatedFrom, String key) {

    public static KeyView of(ApiKey k) {
        return of(k, null);
    }

    public static KeyView of(ApiKey k, String plainText) {
        String status = k.revokedAt != null ? "revoked"
                : k.expiresAt != null && !k.expiresAt.isAfter(OffsetDateTime.now()) ? "expired" : "active";
        return new KeyView(k.id, k.tenantId, k.name, k.prefix, List.copyOf(k.scopes), status, k.createdAt, k.expiresAt,
                k.revokedAt, k.lastUsedAt, k.rotatedFrom, plainText);
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("prefix", prefix);
        m.put("scopes", scopes);
        m.put("status", status);
        m.put("expires_at", expiresAt == null ? null : expiresAt.toString());
        m.put("revoked_at", revokedAt == null ? null : revokedAt.toString());
        return m;
    }
}
