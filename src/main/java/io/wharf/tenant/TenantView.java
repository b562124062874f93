package io.wharf.tenant;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantView(UUID id, String name, boolean active, Map<String, Object> metadata, OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public static TenantView of(Tenant t) {
        return new TenantView(t.id, t.name, t.active, t.metadata, t.createdAt, t.updatedAt);
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("active", active);
        m.put("metadata", metadata);
        return m;
    }
}
