package io.wharf.common.web;

import java.util.Set;
import java.util.UUID;

/** Who is calling: the tenant and key behind the request, and what the audit trail records about it. */
public record Caller(UUID tenantId, UUID keyId, String keyPrefix, Set<String> roles, String userId, String ip, String userAgent) {

    public boolean isAdmin() {
        return roles.contains("admin");
    }
}
