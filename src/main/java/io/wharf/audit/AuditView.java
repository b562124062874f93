package io.wharf.audit;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.wharf.common.Actor;

public record AuditView(UUID id, UUID tenantId, Actor.Kind actorType, String userId, String apiKeyPrefix, String action,
        String resourceType, String resourceId, JsonNode changes, String ipAddress, String userAgent, OffsetDateTime createdAt) {

    static AuditView of(AuditLog a) {
        return new AuditView(a.id, a.tenantId, a.actorType, a.userId, a.apiKeyPrefix, a.action, a.resourceType, a.resourceId, a.changes,
                a.ipAddress, a.userAgent, a.createdAt);
    }
}
