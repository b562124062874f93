package io.wharf.common.web;

import java.util.UUID;

import io.wharf.common.Actor;

/** Who is calling: the tenant behind the request's key, and what the audit trail records about the request. */
public record Caller(UUID tenantId, UUID keyId, String keyPrefix, String userId, String ip, String userAgent) {

    public Actor actor() {
        return Actor.client(userId, keyPrefix, ip, userAgent);
    }
}
